"""Acting on the verdict: what the gate plans to do to traffic, and what it did."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from .service import TrafficRow

Action = Literal["promote", "rollback", "none"]


@dataclass(frozen=True)
class ReleasePlan:
    """What to do to traffic, and why; ``commands`` are for the operator when the gate does not
    act itself (the flag was not given)."""

    action: Action
    reason: str
    traffic: tuple[TrafficRow, ...] = ()
    commands: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReleaseOutcome:
    """What the gate did to traffic: the plan, whether it changed anything, and the evidence."""

    plan: ReleasePlan
    changed: bool
    summary: str
    failed: bool = False
    advice: str = ""
    operation: str = ""
    at: datetime | None = None
    before: tuple[TrafficRow, ...] = ()
    after: tuple[TrafficRow, ...] = ()
