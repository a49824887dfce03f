"""Percentiles of a latency sample, as the reports give them."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.checks.stats import percentiles
from cloudrun_acceptance.model.compare import Percentiles


def test_percentiles_interpolate_between_order_statistics():
    # Hyndman & Fan definition 7: h = (n - 1) p + 1; 1..10 at p = 0.95 gives h = 9.55.
    found = percentiles([float(x) for x in range(10, 0, -1)])
    assert found.n == 10
    assert (found.p50, found.p95, found.p99) == pytest.approx((5.5, 9.55, 9.91))
    assert percentiles([]) == Percentiles(0, None, None, None)
    assert percentiles([0.02]) == Percentiles(1, 0.02, 0.02, 0.02)
