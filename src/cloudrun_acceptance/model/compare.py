"""The candidate against the stable revision: the two endpoints, the paired load's samples, and
the figures the comparison judges. Plain values; the statistics live in checks/stats.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Side = Literal["baseline", "candidate"]
SIDES: tuple[Side, Side] = ("baseline", "candidate")
# Figures under this prefix are a latency histogram of both sides: the report draws it.
HISTOGRAM_PREFIX = "histogram "


@dataclass(frozen=True)
class Endpoint:
    """A revision and the URL it answers at (the service URL, or a tag's)."""

    revision: str
    url: str
    # How the URL was found: "the service URL (it serves 100%)", "tag 'stable'", ...
    via: str = ""


@dataclass(frozen=True)
class Sample:
    """One exchange of the paired load: which kind and side, its place in the schedule, and
    what came back. ``status`` is None when the exchange was refused or cut (``error`` says
    how); ``seconds`` is the wire time of an answered one."""

    kind: str
    side: Side
    order: int
    status: int | None
    seconds: float
    error: str = ""
    method: str = "GET"
    url: str = ""

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
    """The same request mix sent to both revisions on one schedule, alternating."""

    baseline: Endpoint
    candidate: Endpoint
    samples: tuple[Sample, ...]
    planned: int  # exchanges scheduled, both sides
    elapsed: float
    deadline_seconds: float
    concurrency: int
    # Kinds of the mix that were not sent, with why (a mutating request without a session).
    left_out: tuple[tuple[str, str], ...] = ()

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds sent, in the mix's order."""
        seen: dict[str, None] = {}
        for sample in self.samples:
            seen.setdefault(sample.kind, None)
        return tuple(seen)

    @property
    def stopped_at_deadline(self) -> bool:
        """Fewer exchanges were made than planned: the total deadline came first."""
        return len(self.samples) < self.planned

    def of(self, side: Side, kind: str | None = None) -> tuple[Sample, ...]:
        """The samples of one side (of one kind), in schedule order."""
        return tuple(s for s in self.samples if s.side == side and (kind is None or s.kind == kind))

    def latencies(self, side: Side, kind: str) -> tuple[float, ...]:
        """Wire times of the answers below 500 of one side and kind: the latency sample."""
        return tuple(
            s.seconds for s in self.of(side, kind) if s.status is not None and s.status < 500
        )


@dataclass(frozen=True)
class Percentiles:
    """p50, p95 and p99 of a latency sample, in seconds (None for an empty sample)."""

    n: int
    p50: float | None
    p95: float | None
    p99: float | None


@dataclass(frozen=True)
class Shift:
    """How much slower the candidate is than the baseline: the Hodges-Lehmann estimate of the
    shift (candidate minus baseline, seconds), its confidence interval, and the Mann-Whitney U
    test beside it."""

    estimate: float
    low: float
    high: float
    confidence: float
    u_statistic: float
    p_value: float  # two-sided

    def against(self, allowed: float) -> Literal["passed", "failed", "inconclusive"]:
        """The judge of a slowdown: failed when the interval lies above ``allowed`` (slower,
        with the interval's confidence), passed when it lies at or below it, inconclusive when
        it straddles it."""
        if self.low > allowed:
            return "failed"
        return "passed" if self.high <= allowed else "inconclusive"


@dataclass(frozen=True)
class LatencyComparison:
    """One request kind's latency, both sides, with the shift when there were samples enough."""

    kind: str
    baseline: Percentiles
    candidate: Percentiles
    shift: Shift | None
    tolerance: float  # the allowed slowdown, a ratio of the baseline's median
    allowed_seconds: float | None  # tolerance x the baseline's median

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
