"""The judge's plain values: a budget's shares, and the errors' anytime p-value."""

from __future__ import annotations

import math

import pytest

from cloudrun_acceptance.model.judge import ErrorBudget, ErrorEvidence


def test_a_budget_splits_into_equal_shares_of_the_same_total():
    half = ErrorBudget(0.02, 0.05, "one of 2 steps").split(2, "half")
    assert (half.alpha, half.total, half.why) == (pytest.approx(0.01), 0.05, "half")


@pytest.mark.parametrize(("e_value", "p_value"), [(40.0, 0.025), (0.5, 1.0), (math.inf, 0.0)])
def test_the_p_value_is_one_over_the_e_value_at_most_one(e_value, p_value):
    budget = ErrorBudget(0.025, 0.05, "")
    found = ErrorEvidence("undecided", 0, 10, 0, 10, e_value, None, 0.01, budget)
    assert found.p_value == p_value


@pytest.mark.parametrize(
    ("decision", "failed", "seen_beyond"),
    [
        ("undecided", 3, True),  # 3% against 1%: beyond the 1-point tolerance
        ("undecided", 2, False),  # 2% against 1%: on it, within
        ("failed", 3, False),  # decided: the verdict says so itself
    ],
)
def test_failures_seen_beyond_the_tolerance_while_undecided(decision, failed, seen_beyond):
    budget = ErrorBudget(0.025, 0.05, "")
    found = ErrorEvidence(decision, failed, 100, 1, 100, 1.0, None, 0.01, budget)
    assert found.seen_beyond is seen_beyond
