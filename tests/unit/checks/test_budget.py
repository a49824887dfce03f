"""The error budget's shares: the comparison's kinds and errors, a rollout's steps, and a canary
phase spent over its time."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.checks.budget import comparison_budget, phase_budget, rollout_budget
from cloudrun_acceptance.model.contract import CompareRequest, CompareRules, RequestSpec
from cloudrun_acceptance.model.rollout import RolloutRules

RULES = RolloutRules(min_requests=50, bake_seconds=300, min_bake_seconds=120)
COMPARE = CompareRules(requests=(CompareRequest("cached call", RequestSpec("GET", "/api/c")),))


def test_the_budget_is_shared_by_the_kinds_and_the_errors():
    budget = comparison_budget(COMPARE, ["health", "cached call"])
    assert budget.alpha == pytest.approx(0.05 / 3)
    assert budget.why == "one of 3 tests: 2 request kinds and the errors"


def test_a_rollouts_budget_is_shared_by_its_judged_steps():
    budget = rollout_budget(RULES, (5, 25, 50, 100))
    assert budget.alpha == pytest.approx(0.05 / 3)
    assert budget.why == "one of 3 judged steps"


def test_a_phase_spends_its_budget_over_its_time():
    rules = RolloutRules(steps=(25, 50, 100), bake_seconds=300, min_bake_seconds=120)
    first = phase_budget(rules, 25, 0.0)
    later = phase_budget(rules, 25, 300.0)
    assert not isinstance(first, str) and not isinstance(later, str)
    # The phase's share is 2.5%; a run is charged t / (t + 300) over its first minimum bake
    # (120 s): 120/420 from the start, 420/720 - 300/600 five minutes later.
    assert first.alpha == pytest.approx(0.025 * 120 / 420)
    assert later.alpha == pytest.approx(0.025 * (420 / 720 - 300 / 600))
    assert later.why.endswith("this judgement covers its seconds 300 to 420")


@pytest.mark.parametrize("gaps", [[120.0] * 50, [300.0] * 50, [125.0, 900.0, 121.0, 4000.0]])
def test_runs_a_minimum_bake_apart_never_spend_more_than_the_phase(gaps):
    # Runs that follow one another begin at least a minimum bake apart (a passing run takes at
    # least that long, a failing one ends the rollout): however many, their charges add up
    # to less than the phase's share.
    rules = RolloutRules(steps=(25, 50, 100), bake_seconds=300, min_bake_seconds=120)
    starts = [sum(gaps[:k]) for k in range(len(gaps))]
    total = 0.0
    for start in starts:
        found = phase_budget(rules, 25, start)
        assert not isinstance(found, str)
        total += found.alpha
    assert total < 0.025


def test_a_share_not_among_the_steps_has_no_budget():
    rules = RolloutRules(steps=(25, 50, 100))
    assert phase_budget(rules, 30, 0.0) == (
        "the phase serves the candidate 30%, which is not among rollout.steps (25, 50, 100): the "
        "error budget is shared by the steps the contract lists. List the pipeline's canary "
        "percentages there (Cloud Deploy's canaryDeployment.percentages, then 100)"
    )
