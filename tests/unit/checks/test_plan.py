"""What a rollout can expect of its traffic: the requests a step needs to decide, estimated
from the stable revision's latencies, against what a simulation of the judge takes."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from cloudrun_acceptance.checks.blocks import limit_of, micros, time_blocks
from cloudrun_acceptance.checks.budget import rollout_budget
from cloudrun_acceptance.checks.plan import requests_to_decide, traffic_plan
from cloudrun_acceptance.checks.sequential import latency_decision
from cloudrun_acceptance.model.rollout import RevisionTraffic, RolloutRules, StepWindow

RULES = RolloutRules(min_requests=50, bake_seconds=300, max_holds=2)
TEN = limit_of(0.10)
START = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def lognormal(draw: np.random.Generator, sigma: float, n: int) -> np.ndarray:
    return micros(np.exp(draw.normal(np.log(0.02), sigma, n)))


def test_noisier_latencies_need_more_requests():
    draw = np.random.default_rng(1)
    quiet = requests_to_decide(lognormal(draw, 0.2, 5000), TEN, 0.01, 10)
    noisy = requests_to_decide(lognormal(draw, 1.0, 5000), TEN, 0.01, 10)
    assert 8 < quiet < noisy < math.inf
    # Every answer 8 ms: none exceeds 1.1 x another, so an identical candidate is soon shown
    # within the tolerance.
    assert requests_to_decide(np.full(5000, 8000), TEN, 0.01, 10) < quiet
    assert requests_to_decide(lognormal(draw, 0.5, 7), TEN, 0.01, 10) == math.inf  # under 2 blocks


@pytest.mark.parametrize("sigma", [0.5, 1.0])
def test_the_estimate_is_near_what_the_judge_takes_for_an_identical_candidate(sigma):
    # A 10% step of identical revisions, 40 runs: the judge's median number of the candidate's
    # requests to pass it is within a factor of two of the estimate.
    draw = np.random.default_rng(2)
    estimate = requests_to_decide(lognormal(draw, sigma, 20000), TEN, 0.01, 10)
    taken = []
    for _ in range(40):
        n = 40000
        times = np.sort(draw.uniform(0, 1000, n))
        candidate = draw.random(n) < 0.1
        latencies = lognormal(draw, sigma, n)
        blocks = time_blocks(
            times[candidate], latencies[candidate], times[~candidate], latencies[~candidate]
        )
        decision, index = latency_decision(blocks, TEN, 0.01, list(range(1, blocks.count + 1)))
        taken.append(8 * (index + 1) if decision == "passed" else math.inf)
    assert estimate / 2 < float(np.median(taken)) < 2 * estimate


def window(rate: float, seconds: float = 300.0) -> StepWindow:
    draw = np.random.default_rng(3)
    n = int(rate * seconds)
    stable = RevisionTraffic(
        "s",
        (200,) * n,
        tuple(np.exp(draw.normal(np.log(0.02), 0.5, n)).tolist()),
        tuple(np.sort(draw.uniform(0, seconds, n)).tolist()),
    )
    return StepWindow(0, START - timedelta(seconds=seconds), START, RevisionTraffic("c"), stable)


def test_the_plan_says_what_each_step_needs_and_which_cannot_decide():
    budget = rollout_budget(RULES, (5, 50, 100))
    lines, short = traffic_plan(window(3.0), RULES, (5, 50, 100), budget)
    assert lines[0] == "traffic before the rollout: 3 users' requests/s over the last 300 s"
    assert lines[1].startswith("step 5%: about ")
    assert " to decide (about " in lines[1]
    assert lines[1].endswith(" of the candidate's requests at 0.15/s, and 50 a side at least)")
    assert lines[2].startswith("step 50%: about ")
    assert short == (5,)  # hundreds of requests at 0.15/s: beyond the 900 s of its bake and holds
    assert traffic_plan(window(100.0), RULES, (5, 50, 100), budget)[1] == ()


def test_a_capped_read_gives_the_rate_of_what_it_read():
    from dataclasses import replace

    full = window(100.0)
    first = RevisionTraffic(
        "s",
        full.stable.statuses[:3000],
        full.stable.latencies[:3000],
        full.stable.times[:3000],
    )
    capped = replace(full, stable=first, capped=True)
    lines, _ = traffic_plan(capped, RULES, (50, 100), rollout_budget(RULES, (50, 100)))
    rate = float(lines[0].split()[4])
    assert 90 < rate < 110  # not 3000 / 300 s = 10
    assert lines[0].endswith("s of the last 300 (a read's cap)")
