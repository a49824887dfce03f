"""Service times: none in the direct flow but what a profile asks for; in the candidate flow 5 ms
of health and 20 ms of cache hit, every one scaled by a slower candidate. The noisy profiles'
lognormal noise, as drawn; and what a step's late regression and cold start do, by the seconds
since the update that set the share."""

from __future__ import annotations

import math
import statistics
from dataclasses import astuple, replace

import pytest
import scipy.stats

from cloudrun_acceptance.sandbox.faults.profiles import Behaviour, behaviour_for, stable_behaviour
from cloudrun_acceptance.sandbox.reference.servicetimes import (
    NOISE_CAP_SECONDS,
    LatencyNoise,
    ServiceTimes,
    cold_start_wait,
    concepts_seconds,
    late_factor,
    service_times,
)


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


NOISE_SECONDS, SIGMA = 0.004, 0.8


def draws(behaviour: Behaviour, seed: int, count: int = 600) -> list[float]:
    noise = LatencyNoise(behaviour, seed)
    return [noise() for _ in range(count)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_noisy_pair_draws_a_lognormal_delay_of_median_4_ms_and_sigma_0_8(seed):
    delays = draws(behaviour_for(["noisy_pair"]), seed)
    logs = [math.log(delay / NOISE_SECONDS) for delay in delays]
    # A lognormal: its log a normal of mean 0 (the multiplier's median 1) and sd 0.8. The
    # margins are four standard errors or more of 600 draws.
    assert abs(statistics.fmean(logs)) <= 0.15
    assert 0.7 <= statistics.stdev(logs) <= 0.9
    assert 0.8 * NOISE_SECONDS <= statistics.median(delays) <= 1.25 * NOISE_SECONDS
    assert scipy.stats.kstest(logs, "norm", args=(0.0, SIGMA)).pvalue > 0.001
    # Right-skewed: the mean is e^(sigma^2 / 2) = 1.38 times the median, about.
    assert 1.2 <= statistics.fmean(delays) / statistics.median(delays) <= 1.6


def test_noisy_slowers_candidate_draws_the_same_noise_times_1_3():
    candidate = behaviour_for(["noisy_slower"])
    stable = stable_behaviour(candidate)
    # On the same seed, draw for draw; on their own seeds (as they run), in distribution.
    for slower, base in zip(draws(candidate, 5), draws(stable, 5), strict=True):
        assert slower == pytest.approx(1.3 * base)
    ratio = statistics.median(draws(candidate, 6)) / statistics.median(draws(stable, 7))
    assert 1.3 * math.exp(-0.3) <= ratio <= 1.3 * math.exp(0.3)
    assert draws(stable, 7) == draws(behaviour_for(["noisy_pair"]), 7)


def test_the_noise_is_seeded_per_revision_and_start_and_capped():
    noisy = behaviour_for(["noisy_pair"])
    assert draws(noisy, 1, 20) == draws(noisy, 1, 20)
    assert draws(noisy, 1, 20) != draws(noisy, 2, 20)
    wild = Behaviour(latency_noise_seconds=0.4, latency_noise_sigma=3.0)
    assert max(draws(wild, 1)) == NOISE_CAP_SECONDS == 0.5


@pytest.mark.parametrize(
    "name", ["tagged_candidate", "candidate_slower", "step_slow", "cold_start"]
)
def test_without_noise_nothing_is_added_or_drawn(name):
    noise = LatencyNoise(behaviour_for([name]), 1)
    assert {noise() for _ in range(10)} == {0.0}


LATE = behaviour_for(["step_late_regression"])


@pytest.mark.parametrize(
    ("share", "held", "factor"),
    [
        (5, 0.0, 1.0),
        (5, 59.9, 1.0),
        (5, 60.0, 1.0),  # more than the first minute only
        (5, 60.1, 1.5),
        (50, 3600.0, 1.5),
        (0, 3600.0, 1.0),  # at 0% it serves no users' read
    ],
)
def test_the_late_regression_slows_the_users_read_after_the_first_minute_at_a_share(
    share, held, factor
):
    assert late_factor(LATE, share, held) == factor


def test_the_late_regression_waits_what_the_behaviour_says_and_only_in_its_profile():
    shortened = replace(LATE, late_regression_after_seconds=0.5)
    assert (late_factor(shortened, 25, 0.4), late_factor(shortened, 25, 0.6)) == (1.0, 1.5)
    for name in ("rollout_candidate", "step_slow", "step_cold_start"):
        assert late_factor(behaviour_for([name]), 25, 3600.0) == 1.0, name
    # The factor is on the users' read's service time: 15 ms against 10 ms, as step_slow's.
    assert concepts_seconds(LATE) * late_factor(LATE, 25, 61.0) == pytest.approx(
        concepts_seconds(behaviour_for(["step_slow"]))
    )


COLD = behaviour_for(["step_cold_start"])


@pytest.mark.parametrize(
    ("since_rise", "wait"),
    [(0.0, 10.0), (3.0, 7.0), (9.99, 0.01), (10.0, 0.0), (60.0, 0.0), (math.inf, 0.0)],
)
def test_a_request_after_a_rise_waits_until_ten_seconds_after_it(since_rise, wait):
    assert cold_start_wait(COLD, since_rise) == pytest.approx(wait)


def test_the_cold_start_waits_what_the_behaviour_says_and_only_in_its_profile():
    shortened = replace(COLD, step_cold_start_seconds=0.5)
    assert cold_start_wait(shortened, 0.2) == pytest.approx(0.3)
    assert cold_start_wait(shortened, 0.5) == 0.0
    for name in ("rollout_candidate", "step_late_regression", "cold_start"):
        assert cold_start_wait(behaviour_for([name]), 0.0) == 0.0, name
