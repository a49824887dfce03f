"""A per-minute quota of API calls: at most ``per_minute`` calls in any 60 seconds.

Cloud Logging's read quota is such a limit (60 entries:list calls a minute per project, the
quotas page of Cloud Logging). Both sides of it use this one window: the sandbox's Logging API
refuses a call beyond it (429 RESOURCE_EXHAUSTED), and the gate's reads wait their turn in it
(google/quota.py), so that several targets read side by side stay within the project's quota
instead of each backing off after a refusal.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

MINUTE = 60.0


@dataclass
class CallWindow:
    """The calls of the last minute, against a quota of ``per_minute`` (0: no quota)."""

    per_minute: int
    _calls: deque[float] = field(default_factory=deque)

    def admit(self, now: float) -> float:
        """0.0 when a call may be made at ``now`` (it is then counted); else the seconds until
        the oldest call of the minute leaves it, when one may."""
        if self.per_minute <= 0:
            return 0.0
        while self._calls and self._calls[0] <= now - MINUTE:
            self._calls.popleft()
        if len(self._calls) < self.per_minute:
            self._calls.append(now)
            return 0.0
        return self._calls[0] + MINUTE - now
