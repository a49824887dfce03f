"""Percentiles of a latency sample, for the reports' tables.

Imported only on the comparison's and the rollout's paths: numpy costs a start-up that a run
without them must not pay. The judge's statistics are in ``.sequential``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..model.compare import Percentiles


def percentiles(values: Sequence[float]) -> Percentiles:
    """p50, p95 and p99 by linear interpolation between order statistics (numpy's default;
    definition 7 of Hyndman & Fan 1996, R's and Excel's PERCENTILE.INC), so p50 is the usual
    median; all None for an empty sample."""
    if not len(values):
        return Percentiles(0, None, None, None)
    p50, p95, p99 = (float(q) for q in np.percentile(np.asarray(values, float), [50, 95, 99]))
    return Percentiles(len(values), p50, p95, p99)
