"""A rollout in steps on real traffic: its rules, what each step's window of users' requests
held per revision, and what the gate did at each step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

DEFAULT_STEPS = (5, 25, 50, 100)
Action = Literal["advanced", "held", "rolled back", "completed", "not reached"]


@dataclass(frozen=True)
class RolloutRules:
    """The contract's ``rollout:``: the candidate's shares in turn, how long each is baked, and
    how its window of users' requests is judged against the stable revision's.

    ``min_requests``: per revision and window, below which the step is inconclusive; then
    ``on_too_few`` says whether to ``hold`` (bake once more, up to ``max_holds`` times, then roll
    back) or ``rollback`` at once. ``tolerance`` and ``confidence``: as the comparison's, for the
    latency shift and the exact test of the 5xx rates.
    """

    steps: tuple[int, ...] = DEFAULT_STEPS
    bake_seconds: float = 300.0
    min_requests: int = 100
    on_too_few: Literal["hold", "rollback"] = "hold"
    max_holds: int = 2
    tolerance: float = 0.10
    confidence: float = 0.95
    max_requests: int = 20000


@dataclass(frozen=True)
class RevisionTraffic:
    """One revision's users' requests in a window: each one's status and latency (seconds;
    None when the log gives none)."""

    revision: str
    statuses: tuple[int, ...] = ()
    latencies: tuple[float, ...] = ()

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
    reads took (it is read until two reads agree); ``capped``: the listing reached its cap, so
    only the first ``max_requests`` entries were read.
    """

    share: int
    start: datetime
    end: datetime
    candidate: RevisionTraffic
    stable: RevisionTraffic
    holds: int = 0
    pages: int = 0
    capped: bool = False

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
