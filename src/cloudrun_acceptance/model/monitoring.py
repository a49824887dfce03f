"""What Cloud Monitoring said of a window, or of a revision since it started: Cloud Run's own
request counts per revision, and its latencies' histogram (``run.googleapis.com/
request_latencies``, a distribution: bucket counts within bounds the API declares).

Cloud Run writes ``run.googleapis.com/request_count`` for every request, whatever the traffic,
at no cost; it samples it every 60 seconds, and a sample becomes visible up to 180 seconds
later (Google Cloud's metrics list, ``run.googleapis.com``). So the counts are exact, but they
cover whole minutes, and the newest ones come late: ``start`` and ``end`` say which stretch the
points read covered.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RevisionCounts:
    """One revision's requests in the stretch covered, and how many of them were 5xx."""

    revision: str
    requests: int = 0
    errors: int = 0


@dataclass(frozen=True)
class LatencyHistogram:
    """One revision's request latencies in milliseconds, as buckets: ``counts[0]`` below
    ``bounds[0]``, ``counts[i]`` from ``bounds[i - 1]`` to ``bounds[i]``, the last above the
    last bound (Monitoring's underflow, finite and overflow buckets)."""

    revision: str
    bounds: tuple[float, ...]
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        """The requests counted."""
        return sum(self.counts)

    def quantile(self, q: float) -> tuple[float, float] | None:
        """The bucket the ``q`` quantile lies in, as its (lower, upper) bound in ms (an
        underflow's lower is 0, an overflow's upper infinite); None without a request."""
        total = self.total
        if not total:
            return None
        wanted = q * total
        reached = 0
        for index, count in enumerate(self.counts):
            reached += count
            if reached >= wanted and count:
                low = self.bounds[index - 1] if index > 0 else 0.0
                high = self.bounds[index] if index < len(self.bounds) else math.inf
                return low, high
        return self.bounds[-1] if self.bounds else 0.0, math.inf


@dataclass(frozen=True)
class MetricCounts:
    """The request counts of the revisions asked for, over ``start`` to ``end`` (None: no
    point was visible yet), read in ``calls`` requests to the Monitoring API; with the
    latencies' histograms when they were read (``latencies``)."""

    counts: tuple[RevisionCounts, ...]
    start: datetime | None
    end: datetime | None
    calls: int
    latencies: tuple[LatencyHistogram, ...] = ()

    def of(self, revision: str) -> RevisionCounts:
        """The counts of ``revision`` (none when it had no point)."""
        return next((c for c in self.counts if c.revision == revision), RevisionCounts(revision))

    def latency_of(self, revision: str) -> LatencyHistogram | None:
        """The latencies' histogram of ``revision`` (None when not read, or no point)."""
        return next((h for h in self.latencies if h.revision == revision), None)


# Cloud Run's request_count: a sample a minute, visible up to this long after its minute ends.
SAMPLE_SECONDS = 60
VISIBLE_WITHIN_SECONDS = 180


@dataclass(frozen=True)
class RevisionTally:
    """Cloud Monitoring's counts of one revision's requests since it started: the samples of
    request_count that ended after ``start`` (its creation) and by ``end`` (when they were read)
    and were visible then, in ``counts``. A sample is a whole minute of requests; those of the
    last minutes before ``end`` may not be visible yet (``missing_after``)."""

    revision: str
    start: datetime
    end: datetime
    counts: MetricCounts

    @property
    def requests(self) -> int:
        """Every request of the revision counted, whatever its answer."""
        return self.counts.of(self.revision).requests

    @property
    def errors(self) -> int:
        """The requests counted that were answered 5xx."""
        return self.counts.of(self.revision).errors

    @property
    def visible(self) -> bool:
        """False when no sample of the revision was visible yet (all within the lag)."""
        return self.counts.end is not None

    @property
    def missing_after(self) -> datetime:
        """Requests after this time may be missing from the counts: the minute still being
        sampled at ``end``, and the samples that ended in the 180 s before it."""
        return self.end - timedelta(seconds=SAMPLE_SECONDS + VISIBLE_WITHIN_SECONDS)
