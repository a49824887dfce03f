"""The candidate against the stable revision: the two endpoints, the paired load's samples, and
the figures the comparison judges. Plain values; the statistics live in checks/stats.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .judge import LatencyEvidence

Side = Literal["baseline", "candidate"]
SIDES: tuple[Side, Side] = ("baseline", "candidate")
# Figures under this prefix are a latency histogram of both sides: the report draws it
# (checks/histogram.py makes them): the bins' upper edges in ms, each side's counts and the
# baseline's slowed by the tolerance (each one more than the edges: the last is the slow tail),
# and the two revisions' names, baseline first.
HISTOGRAM_PREFIX = "histogram "
HISTOGRAM_EDGES = f"{HISTOGRAM_PREFIX}bins (ms)"
HISTOGRAM_AT_TOLERANCE = f"{HISTOGRAM_PREFIX}at tolerance"
HISTOGRAM_REVISIONS = f"{HISTOGRAM_PREFIX}revisions"


@dataclass(frozen=True)
class Endpoint:
    """A revision and the URL it answers at (the service URL, or a tag's)."""

    revision: str
    url: str
    # How the URL was found: "the service URL (it serves 100%)", "tag 'stable'", ...
    via: str = ""


@dataclass(frozen=True)
class Sample:
    """One exchange of the paired load: which kind and side, its place in the schedule, the
    pair it belongs to (the same request sent to the other side beside it), and what came
    back. ``status`` is None when the exchange was refused or cut (``error`` says how);
    ``seconds`` is the wire time of an answered one."""

    kind: str
    side: Side
    order: int
    status: int | None
    seconds: float
    error: str = ""
    method: str = "GET"
    url: str = ""
    pair: int = 0

    @property
    def answered(self) -> bool:
        """An answer came, whatever its status."""
        return self.status is not None

    @property
    def failed(self) -> bool:
        """A 5xx answer, or a refused or cut exchange: what the errors comparison counts."""
        return self.status is None or self.status >= 500


@dataclass(frozen=True)
class PairedLoad:
    """The same request mix sent to both revisions, pair by pair, alternating. ``planned``:
    the most exchanges the budget allows, both sides; ``ended``: why the load stopped (every
    kind decided, the budget sent, the deadline; "running" for a load under way)."""

    baseline: Endpoint
    candidate: Endpoint
    samples: tuple[Sample, ...]
    planned: int
    elapsed: float
    deadline_seconds: float
    concurrency: int
    # Kinds of the mix that were not sent, with why (a mutating request without a session).
    left_out: tuple[tuple[str, str], ...] = ()
    ended: Literal["decided", "budget", "deadline", "running"] = "budget"

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds sent, in the mix's order."""
        seen: dict[str, None] = {}
        for sample in self.samples:
            seen.setdefault(sample.kind, None)
        return tuple(seen)

    @property
    def stopped_at_deadline(self) -> bool:
        """The total deadline ended the load while a kind was still undecided."""
        return self.ended == "deadline"

    def of(self, side: Side, kind: str | None = None) -> tuple[Sample, ...]:
        """The samples of one side (of one kind), in schedule order."""
        return tuple(s for s in self.samples if s.side == side and (kind is None or s.kind == kind))

    def latencies(self, side: Side, kind: str) -> tuple[float, ...]:
        """Wire times of the answers below 500 of one side and kind: the latency sample."""
        return tuple(
            s.seconds for s in self.of(side, kind) if s.status is not None and s.status < 500
        )

    def pairs(self, kind: str) -> tuple[tuple[float, float], ...]:
        """The kind's pairs in order, as (baseline, candidate) wire times, up to the first pair
        not finished (a side still on its way): those whose both sides answered below 500."""
        halves: dict[int, dict[Side, Sample]] = {}
        for sample in self.samples:
            if sample.kind == kind:
                halves.setdefault(sample.pair, {})[sample.side] = sample
        found = []
        for number in range(len(halves)):
            pair = halves.get(number, {})
            if len(pair) < 2:
                break
            if all(s.status is not None and s.status < 500 for s in pair.values()):
                found.append((pair["baseline"].seconds, pair["candidate"].seconds))
        return tuple(found)


@dataclass(frozen=True)
class Percentiles:
    """p50, p95 and p99 of a latency sample, in seconds (None for an empty sample)."""

    n: int
    p50: float | None
    p95: float | None
    p99: float | None


@dataclass(frozen=True)
class LatencyComparison:
    """One request kind's latency, both sides, with the judge's evidence when there were pairs
    enough (``min_samples``); ``pairs``: the pairs compared."""

    kind: str
    baseline: Percentiles
    candidate: Percentiles
    evidence: LatencyEvidence | None
    tolerance: float  # the allowed slowdown, as a ratio (0.1: 10% slower)
    pairs: int = 0

    @property
    def ratio(self) -> float | None:
        """The candidate's median over the baseline's."""
        b, c = self.baseline.p50, self.candidate.p50
        return c / b if b and c is not None else None


@dataclass(frozen=True)
class ErrorCounts:
    """Failed exchanges (5xx, refused, cut) out of those sent, for one side."""

    failed: int
    sent: int

    @property
    def rate(self) -> float:
        """The share failed (0 when nothing was sent)."""
        return self.failed / self.sent if self.sent else 0.0


@dataclass(frozen=True)
class BaselineChoice:
    """The stable revision the candidate is compared with, and how to reach it.

    ``endpoint``: where it answers, when it can be reached now. ``add_tag``: the tag the gate
    adds to reach it (only with --baseline-tag). Otherwise ``problem`` says why it cannot be
    reached, and ``command`` is the gcloud command that would make it reachable.
    """

    revision: str = ""
    endpoint: Endpoint | None = None
    add_tag: str = ""
    problem: str = ""
    command: str = ""
