"""The judge of a slowdown both the comparison and the rollout use: the shift's interval
against the tolerance."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.model.compare import Shift


def shift(low: float, high: float) -> Shift:
    return Shift((low + high) / 2, low, high, 0.95, 0.0, 1.0)


@pytest.mark.parametrize(
    ("low", "high", "decided"),
    [
        (0.002, 0.004, "failed"),  # slower beyond 1 ms, with the interval's confidence
        (-0.001, 0.001, "passed"),  # within: the high end at the tolerance itself
        (-0.002, -0.001, "passed"),  # faster
        (0.0005, 0.002, "inconclusive"),  # straddles it
    ],
)
def test_the_interval_decides_against_the_allowed_slowdown(low, high, decided):
    assert shift(low, high).against(0.001) == decided
