"""The latency histogram of one request kind that the report draws (report/compare.py's chart):
both revisions' answers counted in the same bins, with the baseline's answers slowed by exactly
the tolerance beside them, as figures.

The bins are equal widths from the fastest answer up to the slowest p95 of the three series;
one more bin, past the last edge, holds every slower answer (the slow tail, of unbounded width,
so the chart labels it "> edge" and never as a bin like the others).

The third series is the judge's limit drawn as a distribution: the judge (``.blocks``) fails a
candidate whose answers exceed ``1 + tolerance`` times the baseline's in more than half of the
pairs, and a candidate exactly at the tolerance is the baseline's answers each ``1 + tolerance``
times as long. Binned like the others, it shows where the candidate's line may lie.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model.compare import (
    HISTOGRAM_AT_TOLERANCE,
    HISTOGRAM_EDGES,
    HISTOGRAM_PREFIX,
    HISTOGRAM_REVISIONS,
    SIDES,
    PairedLoad,
)

HISTOGRAM_BINS = 12
HISTOGRAM_KEYS = (
    HISTOGRAM_EDGES,
    *(f"{HISTOGRAM_PREFIX}{side}" for side in SIDES),
    HISTOGRAM_AT_TOLERANCE,
    HISTOGRAM_REVISIONS,
)


def histogram(load: PairedLoad, kind: str, tolerance: float) -> dict[str, str]:
    """Both sides' answers below 500 to ``kind``, and the baseline's slowed by ``tolerance``,
    counted in the same bins, as figures; nothing when neither side answered."""
    baseline, candidate = (sorted(load.latencies(side, kind)) for side in SIDES)
    limit = [value * (1 + tolerance) for value in baseline]
    series = (baseline, candidate, limit)
    answered = [values for values in series if values]
    if not answered:
        return {}
    low = min(values[0] for values in answered)
    high = max(_p95(values) for values in answered)
    width = (high - low) / HISTOGRAM_BINS or 1e-6
    counts = [" ".join(map(str, _counts(values, low, width, high))) for values in series]
    revisions = f"{load.baseline.revision} {load.candidate.revision}"
    return dict(zip(HISTOGRAM_KEYS, (_edges(low, width), *counts, revisions), strict=True))


def _p95(ordered: Sequence[float]) -> float:
    """The 95th percentile of sorted values: the nearest rank at or below it."""
    return ordered[int(0.95 * (len(ordered) - 1))]


def _counts(values: Sequence[float], low: float, width: float, high: float) -> list[int]:
    """Answers per bin: HISTOGRAM_BINS bins of ``width`` from ``low`` (the last one closed, so
    ``high`` is in it), then the tail above ``high``."""
    row = [0] * (HISTOGRAM_BINS + 1)
    for value in values:
        inside = min(HISTOGRAM_BINS - 1, int((value - low) / width))
        row[HISTOGRAM_BINS if value > high else inside] += 1
    return row


def _edges(low: float, width: float) -> str:
    """The bins' upper edges in ms, space-separated, with the fewest decimals (0 to 3) that
    keep two neighbours at least two units of the last place apart, so no two labels read
    the same."""
    step = width * 1000
    decimals = next((d for d in range(4) if 10**-d <= step / 2), 3)
    return " ".join(f"{(low + width * (i + 1)) * 1000:.{decimals}f}" for i in range(HISTOGRAM_BINS))
