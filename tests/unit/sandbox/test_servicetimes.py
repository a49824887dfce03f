"""Service times: none in the direct flow but what a profile asks for; in the candidate flow 5 ms
of health and 20 ms of cache hit, every one scaled by a slower candidate."""

from __future__ import annotations

from dataclasses import astuple

import pytest

from cloudrun_acceptance.sandbox.faults import behaviour_for
from cloudrun_acceptance.sandbox.servicetimes import ServiceTimes, service_times


@pytest.mark.parametrize(
    ("faults", "expected"),
    [
        ((), ServiceTimes(0.0, 0.0, 1.0)),
        (("cache_slow",), ServiceTimes(0.0, 0.5, 1.0)),
        (("tagged_candidate",), ServiceTimes(0.005, 0.020, 1.0)),
        (("candidate_slower",), ServiceTimes(0.007, 0.028, 1.4)),
        (("tagged_candidate", "cache_slow"), ServiceTimes(0.005, 0.520, 1.0)),
    ],
)
def test_service_times_by_flow_and_profile(faults, expected):
    times = service_times(behaviour_for(faults), 1.0)
    assert astuple(times) == pytest.approx(astuple(expected))
