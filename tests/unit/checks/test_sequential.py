"""The sequential judge of latency: the wealth of its bets, decisions only at looks, the
boundary case decided by its data, its interval, the memory it needs by construction, and
seeded simulations of its error rates at the boundary (the rates over many models live in
bench/judge.py)."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from cloudrun_acceptance.checks.blocks import Blocks, limit_of, micros, paired_blocks, time_blocks
from cloudrun_acceptance.checks.sequential import (
    BETS,
    judge_latency_blocks,
    latency_decision,
    log_wealth,
    ratio_estimate,
    ratio_interval,
)
from cloudrun_acceptance.model.judge import ErrorBudget

BUDGET = ErrorBudget(0.05 / 3, 0.05, "one of 3 tests")
TEN = limit_of(0.10)


def every_block(blocks: Blocks) -> list[int]:
    return list(range(1, blocks.count + 1))


def test_the_wealth_is_the_average_of_the_fixed_bets():
    excess = np.array([0.5, -0.25])
    expected = np.log(np.mean([(1 + b * 0.5) * (1 - b * 0.25) for b in BETS]))
    assert log_wealth(excess)[-1] == pytest.approx(expected)
    assert log_wealth(np.array([0.0, 0.0])).tolist() == pytest.approx([0.0, 0.0])


def test_a_decision_is_taken_only_at_a_look():
    slow = paired_blocks([10000] * 160, [20000] * 160)  # every block placed 1: wealth grows
    # After k such blocks the wealth is the mean of (1 + bet / 2)^k over the bets.
    first = next(k for k in range(1, 20) if np.mean((1 + BETS / 2) ** k) >= 1 / BUDGET.alpha)
    decision, index = latency_decision(slow, TEN, BUDGET.alpha, every_block(slow))
    assert (decision, index + 1) == ("failed", first)
    assert latency_decision(slow, TEN, BUDGET.alpha, [first - 1]) == ("undecided", 0)
    assert latency_decision(slow, TEN, BUDGET.alpha, [first - 1, 20]) == ("failed", 1)


def test_the_boundary_case_is_decided_by_its_data():
    # Stable 29/30/31 ms, the candidate exactly 10% slower: 1.1 x each, in microseconds. A
    # candidate answer exceeds 1.1 x a stable one only against a faster stable answer: 1/3 of
    # the pairs, so it is within the tolerance, and the judge says so once the data show it.
    draw = np.random.default_rng(7)
    stable = draw.choice([29000, 30000, 31000], 4000)
    candidate = draw.choice([29000, 30000, 31000], 4000) * 11 // 10
    blocks = paired_blocks(stable, candidate)
    found = judge_latency_blocks(blocks, TEN, BUDGET, every_block(blocks))
    assert found.decision == "passed"
    assert found.estimate == pytest.approx(1.1)
    assert found.high == pytest.approx(1.1)
    assert found.low is not None and found.low < 1.1


def test_the_interval_is_the_ratios_neither_wealth_refuted():
    draw = np.random.default_rng(3)
    stable = micros(np.exp(draw.normal(np.log(0.02), 0.3, 2000)))
    candidate = micros(1.3 * np.exp(draw.normal(np.log(0.02), 0.3, 2000)))
    blocks = paired_blocks(stable, candidate)
    low, high = ratio_interval(blocks, BUDGET.alpha)
    estimate = ratio_estimate(blocks)
    assert low is not None and high is not None and estimate is not None
    assert low < estimate < high
    assert low < 1.3 < high
    assert low > 1.1  # beyond the tolerance: the judge failed it
    assert latency_decision(blocks, TEN, BUDGET.alpha, every_block(blocks))[0] == "failed"


@pytest.mark.parametrize("sigma", [0.5, 1.0])
def test_a_candidate_exactly_on_the_tolerance_is_rarely_decided_either_way(sigma):
    # Every latency x 1.1 on lognormal noise, 300 seeded runs of up to 2000 pairs, a look after
    # every block: each wrong decision at most at its share of the budget (1.67%).
    draw = np.random.default_rng(11)
    decisions = []
    for _ in range(300):
        stable = micros(np.exp(draw.normal(np.log(0.02), sigma, 2000)))
        candidate = micros(1.1 * np.exp(draw.normal(np.log(0.02), sigma, 2000)))
        blocks = paired_blocks(stable, candidate)
        decisions.append(latency_decision(blocks, TEN, BUDGET.alpha, every_block(blocks))[0])
    assert decisions.count("failed") <= 300 * BUDGET.alpha
    assert decisions.count("passed") <= 300 * BUDGET.alpha


def test_a_judgement_needs_memory_in_proportion_to_its_requests_never_their_product():
    draw = np.random.default_rng(5)

    def peak(n: int) -> int:
        times = np.sort(draw.uniform(0, 300, 2 * n))
        latencies = micros(np.exp(draw.normal(np.log(0.02), 0.5, 2 * n)))
        blocks = time_blocks(times[:n], latencies[:n], times[n:], latencies[n:])
        tracemalloc.start()
        judge_latency_blocks(blocks, TEN, BUDGET, [blocks.count])
        found = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return found

    small, large = peak(5000), peak(20000)
    assert large < 50 * 2**20  # 20,000 requests a side: under 50 MB
    assert large < 6 * small  # 4x the requests, about 4x the memory (16x for a product)
