"""The errors' sequential test: its e-value against a numerical integral, the rate bounds,
and its three outcomes."""

from __future__ import annotations

import math

import pytest
from scipy import integrate

from cloudrun_acceptance.checks.counts import errors_e_value, judge_errors_counts, rate_bound
from cloudrun_acceptance.model.compare import ErrorCounts
from cloudrun_acceptance.model.judge import ErrorBudget

BUDGET = ErrorBudget(0.05 / 3, 0.05, "one of 3 tests")


def test_no_failure_is_no_evidence():
    assert errors_e_value(0, 1000, 0, 1000) == 1.0
    assert errors_e_value(3, 0, 0, 1000) == 1.0


def test_the_errors_e_value_is_the_beta_mixture_of_likelihood_ratios():
    # 6 failures of the candidate, 1 of the baseline, the candidate a quarter of the requests.
    pi, a, b = 0.25, 6, 1

    def ratio(p: float) -> float:
        return (p / pi) ** a * ((1 - p) / (1 - pi)) ** b

    expected = integrate.quad(ratio, pi, 1)[0] / (1 - pi)
    assert errors_e_value(6, 1000, 1, 3000) == pytest.approx(expected, rel=1e-9)


def test_the_failure_rate_bound_is_where_the_evidence_reaches_one_over_alpha():
    bound = rate_bound(0, 1000, 0.01, upper=True)
    # At the bound the mixture over smaller rates holds 1/alpha against it: for 0 failures
    # that is (1 - (1 - p)^1001) / (1001 p (1 - p)^1000).
    e_value = (1 - (1 - bound) ** 1001) / (1001 * bound * (1 - bound) ** 1000)
    assert e_value == pytest.approx(100, rel=1e-3)
    assert 0.004 < bound < 0.01
    assert rate_bound(5, 1000, 0.01, upper=False) < 0.005 < rate_bound(5, 1000, 0.01, upper=True)


def test_errors_fail_pass_or_wait():
    fails = judge_errors_counts(ErrorCounts(20, 1000), ErrorCounts(19, 19000), 0.01, BUDGET)
    assert fails.decision == "failed"
    assert fails.p_value < BUDGET.alpha
    passes = judge_errors_counts(ErrorCounts(0, 2000), ErrorCounts(2, 20000), 0.01, BUDGET)
    assert passes.decision == "passed"
    assert passes.excess_bound is not None and passes.excess_bound <= 0.01
    waits = judge_errors_counts(ErrorCounts(0, 100), ErrorCounts(0, 100), 0.01, BUDGET)
    assert waits.decision == "undecided"
    assert math.isclose(waits.e_value, 1.0)
