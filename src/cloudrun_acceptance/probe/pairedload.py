"""The paired load: the same request mix sent to the baseline and the candidate, pair by pair,
until the judge has decided every kind (or the budget or the deadline ends it).

Each *pair* is one request of a kind sent to both revisions, in alternating order (baseline
first on even pairs, candidate first on odd ones), so that whatever changes during the load
(the machine's noise, a neighbour's traffic, the service's own warm-up) falls on both alike.
The pairs go out in rounds: each kind still open sends a block of pairs per unit of its weight,
the kinds interleaved, and every time a kind's finished pairs make another block, the judge
(``undecided``, the plugin's: it calls checks/) looks at everything so far and says which kinds
still need pairs. A look reads every pair so far, so on a long load the looks thin out (one
per LOOK_GROWTH of growth at least): a look costs the judge's error budget nothing, and the
verdict is still taken at the first block that decided it. A kind stops at ``count`` pairs
(its budget), and the whole load at its deadline: past it no exchange starts, and those in
flight are cut at it and left out (the load's deadline cut them, not the request's own: they
say nothing about either revision).

Worker threads, as many as the contract's concurrency, take the next exchange from the plan;
each has its own client per side (the gate's client, one connection each: its deadlines and
body caps hold).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from ..model.compare import Endpoint, PairedLoad, Sample, Side
from ..model.contract import CompareRules, RequestSpec
from .client import ServiceClient

# Below this a request is not started: it would be cut before it could be answered.
MIN_REQUEST_SECONDS = 0.05
# An exchange without an answer that ends this close to the load's deadline was cut by it.
CUT_MARGIN = 0.02
# On a long load, a kind is looked at again once its finished pairs grew by this share.
LOOK_GROWTH = 1 / 32
# Pairs per block, the judge's unit: the plugin passes checks/blocks.py's BLOCK (the probe
# layer does not import the judgements); this is the size a load without a judge sends by.
BLOCK = 8


@dataclass(frozen=True)
class Kind:
    """One kind of the mix: its name, the request (its session filled in), the most pairs it
    may send (``count``, its budget) and its weight in each round."""

    name: str
    request: RequestSpec
    count: int
    weight: int = 1


def mix_of(
    rules: CompareRules, test_session: str | None
) -> tuple[list[Kind], tuple[tuple[str, str], ...]]:
    """The contract's mix as kinds to send, ``{test_session}`` filled in; without a session
    the mutating kinds are left out, each with why."""
    kinds, left_out = [], []
    for kind in rules.requests:
        if kind.mutating and test_session is None:
            left_out.append(
                (kind.name, "mutating: give a test session to send it (--test-session)")
            )
            continue
        request = kind.request.filled(test_session or "")
        kinds.append(Kind(kind.name, request, rules.budget_of(kind.weight), kind.weight))
    return kinds, tuple(left_out)


Exchange = tuple[int, Kind, int, Side]  # its number, kind, pair and side


class Plan:
    """Which exchange comes next: rounds of pairs of the kinds still open, each kind's pairs
    spread evenly over the round by weight, each pair to both sides in alternating order."""

    def __init__(self, kinds: Sequence[Kind], block: int = BLOCK) -> None:
        self.kinds = list(kinds)
        self.block = block
        self.open = {kind.name for kind in kinds}
        self.pairs = {kind.name: 0 for kind in kinds}
        self.queue: deque[Exchange] = deque()
        self.number = 0
        self.started = 0  # pairs started, all kinds: whose side goes first
        self.taken: set[tuple[str, int]] = set()  # pairs whose first side was sent

    def next(self) -> Exchange | None:
        """The next exchange (None when every kind is closed or out of budget)."""
        if not self.queue:
            self._round()
        if not self.queue:
            return None
        item = self.queue.popleft()
        self.taken.add((item[1].name, item[2]))
        return item

    def close(self, names: Collection[str]) -> None:
        """These kinds need no more pairs; their pairs not yet started are dropped (a pair
        whose first side went out still sends its second)."""
        self.open -= set(names)
        self.queue = deque(
            item
            for item in self.queue
            if item[1].name in self.open or (item[1].name, item[2]) in self.taken
        )

    @property
    def exhausted(self) -> bool:
        """Every open kind has sent its budget."""
        return all(self.pairs[k.name] >= k.count for k in self.kinds if k.name in self.open)

    def _round(self) -> None:
        steps: list[tuple[float, int, Kind]] = []
        for index, kind in enumerate(self.kinds):
            if kind.name not in self.open:
                continue
            want = min(self.block * kind.weight, kind.count - self.pairs[kind.name])
            steps += [((i + 0.5) / want, index, kind) for i in range(want)]
        steps.sort(key=lambda step: (step[0], step[1]))
        for _, _, kind in steps:
            pair = self.pairs[kind.name]
            self.pairs[kind.name] += 1
            sides: tuple[Side, Side] = (
                ("baseline", "candidate") if self.started % 2 == 0 else ("candidate", "baseline")
            )
            self.started += 1
            for side in sides:
                self.queue.append((self.number, kind, pair, side))
                self.number += 1


Undecided = Callable[[PairedLoad], Collection[str]]


def run_paired_load(  # noqa: PLR0917 - the load's whole description
    baseline: Endpoint,
    candidate: Endpoint,
    kinds: Sequence[Kind],
    concurrency: int,
    deadline_seconds: float,
    client_for: Callable[[str], ServiceClient],
    left_out: tuple[tuple[str, str], ...] = (),
    undecided: Undecided | None = None,
    block: int = BLOCK,
) -> PairedLoad:
    """Send pairs with ``concurrency`` workers until ``undecided`` (called with the load so
    far, each time a kind's finished pairs make another block, less often on a long load) names
    no kind, every kind's
    budget is sent, or the deadline; ``client_for(url)`` makes a client. Without
    ``undecided`` every kind sends its whole budget.

    First a warm-up, not counted: each kind once to each side, one at a time, so that no
    sample pays for a cold cache or a connection pool one side had warm already."""
    urls = {"baseline": baseline.url, "candidate": candidate.url}
    started = time.monotonic()
    ends = started + deadline_seconds
    for url in urls.values():
        warm = client_for(url)
        for kind in kinds:
            warm.send(kind.request, timeout=max(MIN_REQUEST_SECONDS, ends - time.monotonic()))
        warm.close()
    run = _Run(
        baseline, candidate, kinds, concurrency, deadline_seconds, left_out, undecided, block
    )
    run.started = started

    def work() -> None:
        clients = {side: client_for(url) for side, url in urls.items()}
        try:
            while True:
                with run.lock:
                    item = run.plan.next()
                left = ends - time.monotonic()
                if item is None or left < MIN_REQUEST_SECONDS:
                    return
                number, kind, pair, side = item
                client = clients[side]
                limit = min(client.timeout, left)
                exchange = client.send(kind.request, timeout=limit)
                cut = exchange.status is None and time.monotonic() >= ends - CUT_MARGIN
                if cut and limit < client.timeout:
                    return  # cut by the load's deadline, not its own: not a sample of either
                run.record(
                    Sample(
                        kind=kind.name,
                        side=side,
                        order=number,
                        status=exchange.status if exchange.error is None else None,
                        seconds=exchange.elapsed,
                        error=exchange.error or "",
                        method=exchange.method,
                        url=exchange.url,
                        pair=pair,
                    )
                )
        finally:
            for client in clients.values():
                client.close()

    workers = [
        threading.Thread(target=work, name=f"cloudrun-compare-{n}", daemon=True)
        for n in range(max(1, concurrency))
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        # Each exchange is cut at the load's deadline by the client itself; the margin covers
        # a worker's last bookkeeping and a look.
        worker.join(timeout=max(0.0, ends - time.monotonic()) + 5.0)
    return run.load(final=True)


class _Run:
    """A load under way: its plan, the samples so far, and the looks of the judge."""

    def __init__(  # noqa: PLR0917 - the load's description, as run_paired_load's
        self,
        baseline: Endpoint,
        candidate: Endpoint,
        kinds: Sequence[Kind],
        concurrency: int,
        deadline_seconds: float,
        left_out: tuple[tuple[str, str], ...],
        undecided: Undecided | None,
        block: int = BLOCK,
    ) -> None:
        self.baseline, self.candidate = baseline, candidate
        self.kinds = list(kinds)
        self.concurrency = concurrency
        self.deadline_seconds = deadline_seconds
        self.left_out = left_out
        self.undecided = undecided
        self.plan = Plan(kinds, block)
        self.block = block
        self.lock = threading.Lock()
        self.looking = threading.Lock()
        self.samples: list[Sample] = []
        self.halves: dict[tuple[str, int], int] = {}
        self.finished = {kind.name: 0 for kind in kinds}  # pairs with both sides recorded
        self.looked = {kind.name: 0 for kind in kinds}  # finished pairs at the last look
        self.decided = False
        self.started = time.monotonic()

    def record(self, sample: Sample) -> None:
        """Keep a sample; when its kind's finished pairs make another block, look."""
        with self.lock:
            self.samples.append(sample)
            key = (sample.kind, sample.pair)
            self.halves[key] = self.halves.get(key, 0) + 1
            if self.halves[key] == 2:
                self.finished[sample.kind] += 1
            finished = self.finished[sample.kind]
            step = max(self.block, int(finished * LOOK_GROWTH))
            due = finished // self.block > self.looked[sample.kind] // self.block and (
                finished - self.looked[sample.kind] >= step
            )
            if due:
                self.looked[sample.kind] = finished
        if due and self.undecided is not None and self.looking.acquire(blocking=False):
            try:
                self._look()
            finally:
                self.looking.release()

    def _look(self) -> None:
        assert self.undecided is not None
        still = set(self.undecided(self.load(final=False)))
        with self.lock:
            self.plan.close(self.plan.open - still)
            self.decided = not self.plan.open

    def load(self, *, final: bool) -> PairedLoad:
        """The load so far (``final``: as it ended)."""
        with self.lock:
            samples = tuple(sorted(self.samples, key=lambda s: s.order))
            ended: Literal["decided", "budget", "deadline", "running"] = "running"
            if final:
                if self.decided or (self.undecided is not None and not self.plan.open):
                    ended = "decided"
                elif self.plan.exhausted and not self.plan.queue:
                    ended = "budget"
                else:
                    ended = "deadline"
            planned = 2 * sum(kind.count for kind in self.kinds)
        return PairedLoad(
            baseline=self.baseline,
            candidate=self.candidate,
            samples=samples,
            planned=planned,
            elapsed=time.monotonic() - self.started,
            deadline_seconds=self.deadline_seconds,
            concurrency=self.concurrency,
            left_out=self.left_out,
            ended=ended,
        )
