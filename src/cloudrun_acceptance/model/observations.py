"""What the gate saw of the service's metrics: a scrape, and counters read around an action."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .contract import CounterRule
from .exchange import Exchange
from .exposition import Snapshot

ProblemKind = Literal[
    "unreachable",
    "deadline",
    "too_large",
    "refused",
    "status",
    "content_type",
    "unparsable",
    "empty",
    "disabled",
    "untyped",
]


@dataclass(frozen=True)
class Scrape:
    """One GET of the metrics path: the exchange, and the snapshot or why there is none."""

    exchange: Exchange
    snapshot: Snapshot | None = None
    problem: ProblemKind | None = None
    detail: str = ""

    @property
    def usable(self) -> bool:
        """It gave an exposition the checks can read."""
        return self.snapshot is not None and self.problem is None


@dataclass(frozen=True)
class Reading:
    """One counter series on one instance, before and after the action."""

    rule: CounterRule
    before: float | None
    after: float | None
    # Why the series could not be read, and what to name instead (the closest names exposed).
    hint: str = ""

    @property
    def delta(self) -> float | None:
        """How much it moved; None when it could not be read."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def exposed(self) -> bool:
        """False when the series was absent after the action (a series absent before it counts
        from 0): the contract names a series the service does not expose."""
        return self.after is not None

    @property
    def moved(self) -> bool:
        """True when it increased by at least the expected amount."""
        return self.delta is not None and self.delta >= self.rule.increase_at_least

    def describe(self) -> str:
        """``name{labels}: before 3, after 4 (+1, expected at least +1)``."""
        if self.before is None or self.after is None:
            shown = f"before {_num(self.before)}, after {_num(self.after)}"
            hint = f"; {self.hint}" if self.hint else ""
            return f"{self.rule.series}: not exposed ({shown}){hint}"
        return (
            f"{self.rule.series}: before {_num(self.before)}, after {_num(self.after)} "
            f"({self.delta:+g}, expected at least +{self.rule.increase_at_least:g})"
        )


def _num(value: float | None) -> str:
    return "absent" if value is None else f"{value:g}"


Outcome = Literal["moved", "stuck", "inconclusive", "unreadable"]


@dataclass(frozen=True)
class CounterRun:
    """An action and what the counters did around it."""

    outcome: Outcome
    actions: tuple[Exchange, ...]
    readings: tuple[Reading, ...] = ()
    instance: str | None = None
    instances_seen: int = 0
    scrapes: int = 0
    waited: float = 0.0
    failed_scrape: Scrape | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    # The scrape in which every counter moved: the next step's first baseline, when it follows.
    last: Snapshot | None = field(default=None, repr=False, compare=False)

    @property
    def acted(self) -> bool:
        """The action's first call succeeded (what a cached call after it needs)."""
        return bool(self.actions) and self.actions[0].ok
