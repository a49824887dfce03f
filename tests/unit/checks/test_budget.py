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
    rules = RolloutRules(steps=(25, 50, 100), bake_seconds=300, max_holds=0)
    first = phase_budget(rules, 25, 0.0)
    second = phase_budget(rules, 25, 300.0)
    assert not isinstance(first, str) and not isinstance(second, str)
    # The phase's share is 2.5%; t / (t + 300) of it by t: half by 300 s, 2/3 by 600 s.
    assert first.alpha == pytest.approx(0.025 / 2)
    assert second.alpha == pytest.approx(0.025 * (2 / 3 - 1 / 2))
    # Any number of runs whose windows do not overlap spend at most the phase's share.
    runs = [phase_budget(rules, 25, 300.0 * k) for k in range(50)]
    assert sum(run.alpha for run in runs if not isinstance(run, str)) < 0.025
    assert phase_budget(rules, 30, 0.0) == (
        "the phase serves the candidate 30%, which is not among rollout.steps (25, 50, 100): the "
        "error budget is shared by the steps the contract lists. List the pipeline's canary "
        "percentages there (Cloud Deploy's canaryDeployment.percentages, then 100)"
    )
