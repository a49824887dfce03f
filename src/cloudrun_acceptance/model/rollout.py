"""A rollout in steps on real traffic: its rules, what each step's window of users' requests
held per revision, and what the gate did at each step."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from .monitoring import MetricCounts

DEFAULT_STEPS = (5, 25, 50, 100)
Action = Literal["advanced", "held", "rolled back", "completed", "not reached"]


@dataclass(frozen=True)
class RolloutRules:
    """The contract's ``rollout:``: the candidate's shares in turn, how long each may bake, and
    how its window of users' requests is judged against the stable revision's.

    A step's window is looked at every ``look_seconds``: a regression fails it at once; it
    passes as soon as the evidence shows it within the tolerances, once it has baked
    ``min_bake_seconds`` and each revision answered ``min_requests``. Undecided when
    ``bake_seconds`` have passed, it is inconclusive; then ``on_too_few`` says whether to
    ``hold`` (bake once more, up to ``max_holds`` times, then roll back) or ``rollback`` at once.
    ``tolerance``: how much slower (a ratio) the candidate may be; ``error_tolerance``: how
    much higher its 5xx rate may be for the step to pass early; ``confidence``: 1 - the chance
    that the whole rollout fails a candidate as good as the stable revision. The candidate's
    latency is judged from the first block of its requests that was within the tolerance (its
    cold start over), and ``warmup_seconds`` after the step began at the latest.
    ``on_low_traffic``: ``refuse`` a rollout whose steps cannot reach ``min_requests`` within
    their longest bake at the traffic of the last ``bake_seconds``, or ``proceed``. A look reads
    at most ``max_requests`` entries (beyond, a uniform sample), and also the last
    ``ingestion_seconds`` of the look before again, for the entries Cloud Logging showed late.
    """

    steps: tuple[int, ...] = DEFAULT_STEPS
    bake_seconds: float = 300.0
    min_requests: int = 100
    on_too_few: Literal["hold", "rollback"] = "hold"
    max_holds: int = 2
    tolerance: float = 0.10
    confidence: float = 0.95
    max_requests: int = 5000
    ingestion_seconds: float = 5.0
    look_seconds: float = 10.0
    min_bake_seconds: float = 120.0
    warmup_seconds: float = 15.0
    error_tolerance: float = 0.01
    on_low_traffic: Literal["refuse", "proceed"] = "refuse"

    @property
    def max_step_seconds(self) -> float:
        """The longest a step can take: its bake, and its holds."""
        holds = self.max_holds if self.on_too_few == "hold" else 0
        return self.bake_seconds * (1 + holds)

    @property
    def judged_steps(self) -> int:
        """How many steps are judged (every one below 100%): they share the error budget."""
        return max(1, sum(1 for step in self.steps if step < 100))


@dataclass(frozen=True)
class RevisionTraffic:
    """One revision's users' requests in a window: each one's status, latency (seconds; NaN
    when the log gives none) and when it came (seconds from the window's start), in the same
    order."""

    revision: str
    statuses: tuple[int, ...] = ()
    latencies: tuple[float, ...] = ()
    times: tuple[float, ...] = ()

    def answered(self) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """The times and latencies of the requests answered below 500 with a latency: the
        latency sample."""
        kept = [
            (when, seconds)
            for status, seconds, when in zip(self.statuses, self.latencies, self.times, strict=True)
            if status < 500 and not math.isnan(seconds)
        ]
        return tuple(when for when, _ in kept), tuple(seconds for _, seconds in kept)

    def extended(self, more: RevisionTraffic) -> RevisionTraffic:
        """These requests, then ``more``'s."""
        return RevisionTraffic(
            self.revision,
            self.statuses + more.statuses,
            self.latencies + more.latencies,
            self.times + more.times,
        )

    @property
    def requests(self) -> int:
        """How many requests the revision answered in the window."""
        return len(self.statuses)

    @property
    def errors(self) -> int:
        """How many of them were 5xx."""
        return sum(1 for status in self.statuses if status >= 500)

    @property
    def error_rate(self) -> float | None:
        """The share of 5xx, or None without a request."""
        return self.errors / self.requests if self.statuses else None


@dataclass(frozen=True)
class StepWindow:
    """What Cloud Run's request logs held for one step: both revisions over the same window.

    ``holds``: how many extra bakes the window took; ``pages``: the Logging API requests its
    reads took (a look's read: what came since the last, and a few seconds before); ``capped``:
    a read reached its cap even sampled, so only its first ``max_requests`` entries were read;
    ``looks``: how many times the window was judged; ``fraction``: the smallest share of a
    stretch's entries that a read took (1: every entry; below, a uniform sample of that
    stretch, as more came than ``max_requests``); ``metrics``: Cloud Run's own request counts
    of the window from Cloud Monitoring, read once its judgement ended, or ``metrics_problem``,
    why there are none; ``quota_waited``: the seconds its reads waited for a turn in the
    project's Cloud Logging read quota (``logs.reads_per_minute``); ``quota_refusals``: the
    looks lost to the quota all the same (429 through a look's deadline: another reader of the
    project took it).
    """

    share: int
    start: datetime
    end: datetime
    candidate: RevisionTraffic
    stable: RevisionTraffic
    holds: int = 0
    pages: int = 0
    capped: bool = False
    looks: int = 1
    fraction: float = 1.0
    metrics: MetricCounts | None = None
    metrics_problem: str = ""
    quota_waited: float = 0.0
    quota_refusals: int = 0

    @property
    def seconds(self) -> float:
        """The window's length."""
        return (self.end - self.start).total_seconds()


@dataclass(frozen=True)
class StepRecord:
    """One step as it went: the share asked for, the window judged, the outcome, and what the
    gate did to traffic after it."""

    share: int
    outcome: Literal["passed", "failed", "inconclusive", "error"]
    action: Action
    summary: str
    window: StepWindow | None = None
    operation: str = ""
