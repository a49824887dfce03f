"""The samples Cloud Run writes of a revision's requests, as the local Monitoring API reads
them: every request of the sandbox's log, and the simulated users' of the stretch asked, each
in the sample period it came in, per revision and response code.

One tally per sample and labels serves both metrics: its latencies in milliseconds counted in
the buckets of BOUNDS_MS (below the first bound, between each two, above the last) and their
sum, last; ``request_count`` is the tally's count, ``request_latencies`` its distribution.
The buckets are the sandbox's own (exponential from 1 ms, each 10% wider, up to about 70
minutes): the gate reads the bounds a distribution declares, whatever they are.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ...model.logs import latency_seconds

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from ..platform.deployment import LogStore

SCALE_MS, GROWTH, FINITE_BUCKETS = 1.0, 1.1, 160
BOUNDS_MS = tuple(SCALE_MS * GROWTH**i for i in range(FINITE_BUCKETS + 1))
BUCKET_OPTIONS = {
    "exponentialBuckets": {
        "numFiniteBuckets": FINITE_BUCKETS,
        "growthFactor": GROWTH,
        "scale": SCALE_MS,
    }
}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Labels = tuple[tuple[str, str], ...]


def samples(
    log: LogStore,
    sample_seconds: float,
    visible_before: datetime,
    around: tuple[datetime, datetime],
) -> dict[tuple[Labels, datetime], NDArray[np.float64]]:
    """Each request tallied in its sample period: (labels, the period's end) -> its tally, for
    the periods visible before ``visible_before``: every request log entry, and the simulated
    users' requests of the stretch ``around`` (the query's, a sample period wider)."""
    import numpy as np

    found: dict[tuple[Labels, datetime], list[float]] = {}
    deployment = log.deployment

    def add(revision: str, status: int, seconds: float, millis: Iterable[float]) -> None:
        index = math.floor(seconds / sample_seconds) + 1
        ended = EPOCH + timedelta(seconds=index * sample_seconds)
        if ended > visible_before:
            return
        labels = (
            ("resource.labels.project_id", deployment.project),
            ("resource.labels.location", deployment.region),
            ("resource.labels.service_name", deployment.service),
            ("resource.labels.configuration_name", deployment.service),
            ("resource.labels.revision_name", revision),
            ("metric.labels.response_code", str(status)),
            ("metric.labels.response_code_class", f"{status // 100}xx"),
        )
        found.setdefault((labels, ended), []).extend(millis)

    for entry in log.snapshot():
        request = entry.get("httpRequest")
        if not isinstance(request, Mapping):
            continue
        when = datetime.fromisoformat(str(entry["timestamp"]).replace("Z", "+00:00"))
        seconds = latency_seconds(str(request.get("latency") or "")) or 0.0
        revision = str(entry["resource"]["labels"]["revision_name"])
        since_epoch = (when - EPOCH).total_seconds()
        add(revision, int(request.get("status", 0)), since_epoch, [1000.0 * seconds])
    if log.simulated is not None:
        first, last = (moment.timestamp() for moment in around)
        for (revision, status, second), drawn in log.simulated.latencies(first, last).items():
            add(revision, status, second, drawn.tolist())
    edges = np.asarray(BOUNDS_MS)
    return {key: tally_of(np.asarray(millis), edges) for key, millis in found.items()}


def tally_of(millis: NDArray[np.float64], edges: NDArray[np.float64]) -> NDArray[np.float64]:
    """Latencies in ms as a tally: their counts in the buckets of ``edges`` (below the first,
    between each two, above the last), then their sum."""
    import numpy as np

    buckets = np.searchsorted(edges, millis, side="right")
    return np.append(np.bincount(buckets, minlength=len(edges) + 1), millis.sum()).astype(float)


def count_of(tally: NDArray[np.float64]) -> int:
    """The requests a tally holds."""
    return round(float(tally[:-1].sum()))


def distribution_of(tally: NDArray[np.float64]) -> dict[str, Any]:
    """A tally as the API's Distribution: its count, mean, buckets and their counts (trailing
    empty buckets left out, as the API leaves them)."""
    counts = [round(float(c)) for c in tally[:-1]]
    while counts and counts[-1] == 0:
        counts.pop()
    total = sum(counts)
    return {
        "count": str(total),
        "mean": float(tally[-1]) / total if total else 0.0,
        "bucketOptions": BUCKET_OPTIONS,
        "bucketCounts": [str(c) for c in counts],
    }
