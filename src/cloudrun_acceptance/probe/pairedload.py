"""The paired load: the same request mix sent to the baseline and the candidate on one schedule.

The schedule interleaves the kinds by weight and alternates the sides (baseline first on even
steps, candidate first on odd ones), so that whatever changes during the load (the machine's
noise, a neighbour's traffic, the service's own warm-up) falls on both revisions alike. Worker
threads, as many as the contract's concurrency, take the next exchange from the schedule; each
worker has its own client per side (the gate's client, one connection each: its deadlines and
body caps hold). The whole load has one deadline: past it no exchange starts, and those in
flight are cut at it and left out (the load's deadline cut them, not the request's own: they
say nothing about either revision).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ..model.compare import Endpoint, PairedLoad, Sample, Side
from ..model.contract import CompareRules, RequestSpec
from .client import ServiceClient

# Below this a request is not started: it would be cut before it could be answered.
MIN_REQUEST_SECONDS = 0.05
# An exchange without an answer that ends this close to the load's deadline was cut by it.
CUT_MARGIN = 0.02


@dataclass(frozen=True)
class Kind:
    """One kind of the mix: its name, the request (its session filled in) and its count per side."""

    name: str
    request: RequestSpec
    count: int


def mix_of(
    rules: CompareRules, test_session: str | None
) -> tuple[list[Kind], tuple[tuple[str, str], ...]]:
    """The contract's mix as kinds to send: ``count`` shared by weight, ``{test_session}``
    filled in; without a session the mutating kinds are left out, each with why."""
    weights = sum(kind.weight for kind in rules.requests)
    kinds, left_out = [], []
    for kind in rules.requests:
        if kind.mutating and test_session is None:
            left_out.append(
                (kind.name, "mutating: give a test session to send it (--test-session)")
            )
            continue
        count = max(1, round(rules.count * kind.weight / weights))
        kinds.append(Kind(kind.name, kind.request.filled(test_session or ""), count))
    return kinds, tuple(left_out)


def schedule(kinds: Sequence[Kind]) -> list[tuple[str, RequestSpec, Side]]:
    """Every exchange in order: the kinds spread evenly over the run by their counts, and each
    step sent to both sides, in alternating order."""
    steps: list[tuple[float, int, Kind]] = []
    for index, kind in enumerate(kinds):
        steps += [((i + 0.5) / kind.count, index, kind) for i in range(kind.count)]
    steps.sort(key=lambda step: (step[0], step[1]))
    exchanges: list[tuple[str, RequestSpec, Side]] = []
    for number, (_, _, kind) in enumerate(steps):
        sides: tuple[Side, Side] = (
            ("baseline", "candidate") if number % 2 == 0 else ("candidate", "baseline")
        )
        exchanges += [(kind.name, kind.request, side) for side in sides]
    return exchanges


def run_paired_load(  # noqa: PLR0917 - the load's whole description
    baseline: Endpoint,
    candidate: Endpoint,
    kinds: Sequence[Kind],
    concurrency: int,
    deadline_seconds: float,
    client_for: Callable[[str], ServiceClient],
    left_out: tuple[tuple[str, str], ...] = (),
) -> PairedLoad:
    """Send the schedule with ``concurrency`` workers; ``client_for(url)`` makes a client.

    First a warm-up, not counted: each kind once to each side, one at a time, so that no
    sample pays for a cold cache or a connection pool one side had warm already."""
    exchanges = schedule(kinds)
    urls = {"baseline": baseline.url, "candidate": candidate.url}
    started = time.monotonic()
    ends = started + deadline_seconds
    for url in urls.values():
        warm = client_for(url)
        for kind in kinds:
            warm.send(kind.request, timeout=max(MIN_REQUEST_SECONDS, ends - time.monotonic()))
        warm.close()
    samples: list[Sample | None] = [None] * len(exchanges)
    numbers: Iterator[int] = iter(range(len(exchanges)))
    lock = threading.Lock()

    def work() -> None:
        clients = {side: client_for(url) for side, url in urls.items()}
        try:
            while True:
                with lock:
                    number = next(numbers, None)
                left = ends - time.monotonic()
                if number is None or left < MIN_REQUEST_SECONDS:
                    return
                name, request, side = exchanges[number]
                client = clients[side]
                limit = min(client.timeout, left)
                exchange = client.send(request, timeout=limit)
                cut = exchange.status is None and time.monotonic() >= ends - CUT_MARGIN
                if cut and limit < client.timeout:
                    return  # cut by the load's deadline, not its own: not a sample of either
                samples[number] = Sample(
                    kind=name,
                    side=side,
                    order=number,
                    status=exchange.status if exchange.error is None else None,
                    seconds=exchange.elapsed,
                    error=exchange.error or "",
                    method=exchange.method,
                    url=exchange.url,
                )
        finally:
            for client in clients.values():
                client.close()

    workers = [
        threading.Thread(target=work, name=f"cloudrun-compare-{n}", daemon=True)
        for n in range(min(concurrency, len(exchanges)))
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        # Each exchange is cut at the load's deadline by the client itself; the margin covers
        # a worker's last bookkeeping.
        worker.join(timeout=max(0.0, ends - time.monotonic()) + 5.0)
    return PairedLoad(
        baseline=baseline,
        candidate=candidate,
        samples=tuple(sample for sample in samples if sample is not None),
        planned=len(exchanges),
        elapsed=time.monotonic() - started,
        deadline_seconds=deadline_seconds,
        concurrency=concurrency,
        left_out=left_out,
    )
