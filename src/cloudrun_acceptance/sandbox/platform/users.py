"""The sandbox service's users: real requests to the service URL at a steady rate, in the
background, while the sandbox runs (``Behaviour.user_rps``).

A rollout in steps compares the candidate's users' requests with the stable revision's in the
request log; these are those users. They go through the real front end, so each request is
routed by the traffic's split and logged under the revision that answered it, with its status
and latency. The mix: USER_MIX of reads of concepts (``GET /api/concepts?q=...``), the rest
health. The users only read (never a POST): the gate's session, cache and counters are as its
own requests leave them, and the gate finds its own requests by their User-Agent, not this one.

One daemon thread runs an asyncio loop that starts each request on time (open loop, as users do
not wait for each other) over one keep-alive client. Nothing raises out of it: a refused, cut
or failed request is counted.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections import Counter

import httpx

USER_AGENT = "sandbox-users/1.0"
# The share of the users' requests that read concepts; the others ask for health.
USER_MIX = 0.7
QUERIES = ("emergence", "swarm", "consensus", "markets", "life", "colonies", "rules", "")
REQUEST_TIMEOUT = 5.0
# Requests on the way at once, beyond which a due one waits: a stalled service is not flooded.
# Users do not wait for each other: a 10 s cold start at 150 requests/s holds 1,500 of them.
MAX_IN_FLIGHT = 2048
# How long the loop sleeps at most between two looks at the stop flag.
STOP_POLL_SECONDS = 0.05
STOP_TIMEOUT = 1.0


class Pacer:
    """When each request is due, at ``rate`` per second from ``start``: one every 1 / rate
    seconds. A sender a little late keeps to the slots (the rate holds); one later than an
    interval (a stall) drops the slots it missed rather than send them in a burst."""

    def __init__(self, rate: float, start: float) -> None:
        self.interval = 1.0 / rate
        self.due = start

    def wait(self, now: float) -> float:
        """Seconds until the next request is due (0 when it is)."""
        return max(0.0, self.due - now)

    def take(self, now: float) -> None:
        """A request was sent at ``now``: the next one is due an interval after its slot, or,
        after a stall, an interval after now."""
        stalled = now - self.due > self.interval
        self.due = (now if stalled else self.due) + self.interval


def user_path(draw: random.Random) -> str:
    """The path of one user's request: a read of concepts (USER_MIX of them), else health."""
    if draw.random() < USER_MIX:
        return f"/api/concepts?q={draw.choice(QUERIES)}"
    return "/api/health"


class UserTraffic:
    """The users of the service at ``url``: about ``rate`` requests per second, from ``start()``
    to ``stop()``. ``sent``: requests sent; ``failed``: those without an answer (refused, cut,
    timed out) or answered 5xx; ``statuses``: the answers by status."""

    def __init__(self, url: str, rate: float, seed: int = 0) -> None:
        self.url = url
        self.rate = rate
        self.sent = 0
        self.failed = 0
        self.statuses: Counter[int] = Counter()
        self._draw = random.Random(seed)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sandbox-users", daemon=True)

    def start(self) -> None:
        """Start sending, in the background."""
        self._thread.start()

    def stop(self) -> None:
        """Stop sending (requests on the way are abandoned) and wait for the thread to end."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(STOP_TIMEOUT)

    @property
    def running(self) -> bool:
        """Whether the users' thread is still alive."""
        return self._thread.is_alive()

    def _run(self) -> None:
        try:
            asyncio.run(self._send_until_stopped())
        except Exception:  # the users never fail the sandbox they run in
            self.failed += 1

    async def _send_until_stopped(self) -> None:
        limits = httpx.Limits(max_connections=MAX_IN_FLIGHT, max_keepalive_connections=16)
        headers = {"User-Agent": USER_AGENT}
        in_flight: set[asyncio.Task[None]] = set()
        async with httpx.AsyncClient(
            base_url=self.url, headers=headers, limits=limits, timeout=REQUEST_TIMEOUT
        ) as client:
            pacer = Pacer(self.rate, time.monotonic())
            while not self._stop.is_set():
                wait = pacer.wait(time.monotonic())
                if wait > 0 or len(in_flight) >= MAX_IN_FLIGHT:
                    await asyncio.sleep(min(wait, STOP_POLL_SECONDS) or 0.001)
                    continue
                pacer.take(time.monotonic())
                task = asyncio.create_task(self._one(client, user_path(self._draw)))
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
            for task in in_flight:
                task.cancel()
            await asyncio.gather(*in_flight, return_exceptions=True)

    async def _one(self, client: httpx.AsyncClient, path: str) -> None:
        """One user's request; its outcome is counted, never raised."""
        self.sent += 1
        try:
            answer = await client.get(path)
        except Exception:  # refused, cut, timed out: a failed request
            self.failed += 1
            return
        self.statuses[answer.status_code] += 1
        if answer.status_code >= 500:
            self.failed += 1
