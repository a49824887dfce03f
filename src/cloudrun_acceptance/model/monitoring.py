"""What Cloud Monitoring said of a window: Cloud Run's own request counts per revision.

Cloud Run writes ``run.googleapis.com/request_count`` for every request, whatever the traffic,
at no cost; it samples it every 60 seconds, and a sample becomes visible up to 180 seconds
later (Google Cloud's metrics list, ``run.googleapis.com``). So the counts are exact, but they
cover whole minutes, and the newest ones come late: ``start`` and ``end`` say which stretch the
points read covered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RevisionCounts:
    """One revision's requests in the stretch covered, and how many of them were 5xx."""

    revision: str
    requests: int = 0
    errors: int = 0


@dataclass(frozen=True)
class MetricCounts:
    """The request counts of the revisions asked for, over ``start`` to ``end`` (None: no
    point was visible yet), read in ``calls`` requests to the Monitoring API."""

    counts: tuple[RevisionCounts, ...]
    start: datetime | None
    end: datetime | None
    calls: int

    def of(self, revision: str) -> RevisionCounts:
        """The counts of ``revision`` (none when it had no point)."""
        return next((c for c in self.counts if c.revision == revision), RevisionCounts(revision))
