"""The comparison's statistics against hand-computed examples, exact distributions and
simulation: percentiles, the Hodges-Lehmann shift and its interval, the errors test."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import mannwhitneyu

from cloudrun_acceptance.checks.stats import (
    errors_test,
    hodges_lehmann,
    interval_rank,
    percentiles,
)
from cloudrun_acceptance.model.compare import ErrorCounts, Percentiles

# A small example worked by hand: m = n = 4, so 16 pairwise differences candidate - baseline.
BASELINE = (10.0, 12.0, 15.0, 20.0)
CANDIDATE = (11.0, 14.0, 18.0, 25.0)
#                baseline:  10   12   15   20
# candidate 11:              1   -1   -4   -9
# candidate 14:              4    2   -1   -6
# candidate 18:              8    6    3   -2
# candidate 25:             15   13   10    5
DIFFERENCES = sorted([1, -1, -4, -9, 4, 2, -1, -6, 8, 6, 3, -2, 15, 13, 10, 5])


def test_the_hand_example_is_what_the_table_says():
    assert DIFFERENCES == [-9, -6, -4, -2, -1, -1, 1, 2, 3, 4, 5, 6, 8, 10, 13, 15]


def test_percentiles_interpolate_between_order_statistics():
    # Hyndman & Fan definition 7: h = (n - 1) p + 1; 1..10 at p = 0.95 gives h = 9.55.
    found = percentiles([float(x) for x in range(10, 0, -1)])
    assert found.n == 10
    assert (found.p50, found.p95, found.p99) == pytest.approx((5.5, 9.55, 9.91))
    assert percentiles([]) == Percentiles(0, None, None, None)
    assert percentiles([0.02]) == Percentiles(1, 0.02, 0.02, 0.02)


def test_the_estimate_is_the_median_of_the_pairwise_differences():
    shift = hodges_lehmann(BASELINE, CANDIDATE, 0.85)
    # 16 differences: the median is the mean of the 8th and 9th, (2 + 3) / 2.
    assert shift.estimate == 2.5
    assert shift.confidence == 0.85


def test_the_interval_runs_between_order_statistics_of_the_differences():
    # m = n = 4: P(U <= 2) = 4/70 = 0.057 <= 0.075 < P(U <= 3) = 7/70, so at 85% the exact
    # C is 3 (coverage 1 - 8/70 = 88.6%): from the 3rd smallest difference to the 3rd largest.
    assert interval_rank(4, 4, 0.85) == 3
    shift = hodges_lehmann(BASELINE, CANDIDATE, 0.85)
    assert (shift.low, shift.high) == (DIFFERENCES[2], DIFFERENCES[-3]) == (-4, 10)
    # At 95% only the extremes are left (C = 1: P(U <= 0) = 1/70 <= 0.025 < 2/70).
    wide = hodges_lehmann(BASELINE, CANDIDATE, 0.95)
    assert (wide.low, wide.high) == (-9, 15)


def test_the_mann_whitney_test_sits_beside_the_shift():
    shift = hodges_lehmann(BASELINE, CANDIDATE, 0.95)
    # U counts the pairs where the candidate is slower: the 10 positive differences above.
    assert shift.u_statistic == sum(d > 0 for d in DIFFERENCES) == 10
    # Exact null distribution of U for m = n = 4 (70 arrangements): P(U >= 10) = 24/70.
    assert shift.p_value == pytest.approx(48 / 70)
    assert shift.p_value == pytest.approx(mannwhitneyu(CANDIDATE, BASELINE).pvalue)


def u_counts(m: int, n: int) -> list[int]:
    """How many of the C(m+n, n) arrangements give each U (Mann & Whitney 1947, recursion)."""
    rows = [[[1] for _ in range(n + 1)]] + [[[1]] + [[] for _ in range(n)] for _ in range(m)]
    for i in range(1, m + 1):
        for j in range(1, n + 1):
            ways = [0] * (i * j + 1)
            for u, count in enumerate(rows[i - 1][j]):
                ways[u + j] += count
            for u, count in enumerate(rows[i][j - 1]):
                ways[u] += count
            rows[i][j] = ways
    return rows[m][n]


def exact_rank(m: int, n: int, confidence: float) -> int:
    """C from the exact distribution: one more than the largest k with P(U <= k) <= alpha/2."""
    total, below = math.comb(m + n, n), 0
    for u, count in enumerate(u_counts(m, n)):
        below += count
        if below / total > (1 - confidence) / 2:
            return u
    raise AssertionError("P(U <= mn) is 1")


@pytest.mark.parametrize(
    ("m", "n", "confidence"),
    [(10, 10, 0.95), (12, 15, 0.95), (20, 20, 0.95), (10, 30, 0.95), (25, 25, 0.90)],
)
def test_the_normal_approximation_is_within_a_rank_or_two_of_the_exact_critical_value(
    m, n, confidence
):
    exact = exact_rank(m, n, confidence)
    assert exact - 2 <= interval_rank(m, n, confidence) <= exact


def test_the_tables_critical_values():
    # Two-sided 5% critical values of U: 23 for m = n = 10, 127 for m = n = 20; C is one more.
    assert (interval_rank(10, 10, 0.95), interval_rank(20, 20, 0.95)) == (24, 128)


def test_about_95_percent_of_a_a_intervals_contain_zero():
    rng = np.random.default_rng(20261126)
    covered = 0
    for _ in range(400):
        baseline = rng.lognormal(np.log(0.020), 0.3, 30)
        candidate = rng.lognormal(np.log(0.020), 0.3, 30)
        shift = hodges_lehmann(baseline.tolist(), candidate.tolist(), 0.95)
        covered += shift.low <= 0 <= shift.high
    # Binomial(400, 0.95) has a standard deviation of 4.4 draws: 92%-98% is about 3 of them.
    assert 368 <= covered <= 392


def test_a_shifted_candidate_is_found_and_its_true_shift_covered():
    rng = np.random.default_rng(7)
    covered = 0
    for _ in range(200):
        baseline = rng.lognormal(np.log(0.020), 0.2, 40)
        candidate = rng.lognormal(np.log(0.020), 0.2, 40) + 0.008
        shift = hodges_lehmann(baseline.tolist(), candidate.tolist(), 0.95)
        covered += shift.low <= 0.008 <= shift.high
        assert shift.low > 0
    assert 180 <= covered <= 200


def test_a_thousand_a_side_is_estimated_closely():
    rng = np.random.default_rng(3)
    baseline = rng.lognormal(np.log(0.020), 0.3, 1000)
    candidate = rng.lognormal(np.log(0.020), 0.3, 1000) + 0.002
    shift = hodges_lehmann(baseline.tolist(), candidate.tolist(), 0.95)
    assert shift.low < 0.002 < shift.high
    # Width about 2 x 1.96 x sd x sqrt(2/1000), sd about 6 ms here: near 1.1 ms.
    assert 0.0008 < shift.high - shift.low < 0.0014


def test_a_shift_needs_both_samples():
    with pytest.raises(ValueError, match="got 0 baseline and 3 candidate values"):
        hodges_lehmann([], [1.0, 2.0, 3.0], 0.95)


def hypergeometric_tail(candidate: ErrorCounts, baseline: ErrorCounts) -> float:
    """Fisher's one-sided p by hand: P(the candidate holds >= its failures | the margins)."""
    failures, total = candidate.failed + baseline.failed, candidate.sent + baseline.sent
    top = min(failures, candidate.sent)
    ways = sum(
        math.comb(failures, k) * math.comb(total - failures, candidate.sent - k)
        for k in range(candidate.failed, top + 1)
    )
    return ways / math.comb(total, candidate.sent)


@pytest.mark.parametrize(
    ("candidate", "baseline"),
    [((5, 400), (0, 400)), ((12, 400), (4, 400)), ((3, 2000), (2, 2000)), ((1, 50), (6, 60))],
)
def test_the_errors_test_is_fishers_one_sided_tail(candidate, baseline):
    c, b = ErrorCounts(*candidate), ErrorCounts(*baseline)
    assert errors_test(c, b) == pytest.approx(hypergeometric_tail(c, b))


def test_the_errors_test_looks_one_way():
    # 5 of 400 against none: all 5 failures fell on the candidate, C(400, 5) / C(800, 5).
    five = errors_test(ErrorCounts(5, 400), ErrorCounts(0, 400))
    assert five == pytest.approx(math.comb(400, 5) / math.comb(800, 5))
    assert round(five, 4) == 0.0309
    assert errors_test(ErrorCounts(0, 400), ErrorCounts(5, 400)) == 1.0
    assert errors_test(ErrorCounts(0, 400), ErrorCounts(0, 400)) == 1.0
    assert errors_test(ErrorCounts(0, 0), ErrorCounts(0, 400)) == 1.0
