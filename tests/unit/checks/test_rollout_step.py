"""A rollout step judged on its window of users' requests; the traffic of a step and of the
rollback."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from cloudrun_acceptance.checks.rollout_step import (
    judge_step,
)
from cloudrun_acceptance.model.rollout import RevisionTraffic, RolloutRules, StepWindow

RULES = RolloutRules(min_requests=50, bake_seconds=300, min_bake_seconds=120)
START = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def side(
    revision: str,
    n: int,
    *,
    errors: int = 0,
    median: float = 0.010,
    seed: int = 1,
    seconds: float = 300.0,
    slow_until: float = 0.0,
):
    """n requests spread evenly over ``seconds``, latencies within 20% of ``median`` (10 s
    more before ``slow_until``: a cold start), the first ``errors`` of them 500."""
    draw = random.Random(seed)
    times = tuple(seconds * (i + draw.random()) / n for i in range(n))
    latencies = tuple(
        median * draw.uniform(0.8, 1.2) + (10.0 if when < slow_until else 0.0) for when in times
    )
    statuses = tuple(500 if i < errors else 200 for i in range(n))
    return RevisionTraffic(revision, statuses, latencies, times)


def window(
    candidate: RevisionTraffic, stable: RevisionTraffic, share: int = 25, seconds: int = 300
) -> StepWindow:
    return StepWindow(share, START, START + timedelta(seconds=seconds), candidate, stable)


def test_a_candidate_like_the_stable_revision_passes_with_its_row():
    verdict = judge_step(window(side("c", 2000, seed=2), side("s", 6000, seed=3)), RULES)
    assert verdict is not None
    assert verdict.status == "passed"
    assert verdict.summary.startswith(
        "c answered 2000 users' requests, s 6000 at 25% over 300 s (look 1): 5xx 0.00% against "
        "0.00% (at most "
    )
    assert "within the 1% tolerance); median 10.0 ms against the stable revision's 10.0 ms" in (
        verdict.summary
    )
    figures = verdict.figures
    assert (figures["share (%)"], figures["candidate requests"], figures["stable requests"]) == (
        "25",
        "2000",
        "6000",
    )
    assert figures["window"] == "2026-12-02T10:00:00+00:00 to 2026-12-02T10:05:00+00:00 (300 s)"
    assert figures["error budget"] == (
        "0.83% of 5% (one of 3 judged steps, halved between latency and 5xx)"
    )


def test_a_step_passes_early_once_its_minimum_bake_is_over():
    early = window(side("c", 2000, seconds=60), side("s", 6000, seconds=60), seconds=60)
    assert judge_step(early, RULES, last=False) is None  # decided, but not baked enough
    later = window(side("c", 2000, seconds=130), side("s", 6000, seconds=130), seconds=130)
    verdict = judge_step(later, RULES, last=False)
    assert verdict is not None and verdict.status == "passed"
    assert ", before its 300 s bake ended:" in verdict.summary


def test_more_5xx_fails_at_once_with_both_rates_and_the_test():
    found = window(side("c", 200, errors=12, seconds=20), side("s", 600, errors=1, seconds=20))
    verdict = judge_step(replace(found, looks=2), RULES, last=False)
    assert verdict is not None and verdict.status == "failed"
    assert verdict.summary.startswith(
        "the candidate failed more of the users' requests at 25% over 300 s (look 2): 12 of 200 "
        "5xx (6.00%) against the stable revision's 1 of 600 (0.17%); anytime-valid p = "
    )
    assert 'resource.labels.revision_name="c"' in verdict.advice


def test_slower_beyond_the_tolerance_fails_with_its_interval():
    verdict = judge_step(
        window(side("c", 300, median=0.015), side("s", 900, median=0.010)), RULES, last=False
    )
    assert verdict is not None and verdict.status == "failed"
    assert "the candidate answered the users' requests slower at 25%" in verdict.summary
    assert re.search(r"latency \+5\d\.\d% \(anytime interval \+\d+\.\d% to \+", verdict.summary)
    assert verdict.summary.endswith("tolerance 10% slower")


def test_a_cold_start_is_the_candidates_warm_up_not_a_regression():
    cold = side("c", 2000, slow_until=10.0, seed=4)
    verdict = judge_step(window(cold, side("s", 6000, seed=5)), RULES)
    assert verdict is not None and verdict.status == "passed"
    assert any("were its warm-up" in line for line in verdict.evidence)


def test_too_few_requests_is_inconclusive_with_the_counts():
    verdict = judge_step(window(side("c", 10), side("s", 600)), RULES)
    assert verdict is not None and verdict.status == "inconclusive"
    assert verdict.summary == (
        "too few users' requests at 25% over 300 s (look 1) to judge the step: c answered 10 "
        "users' requests, s 600 (at least 50 each, rollout.min_requests)"
    )


def test_more_5xx_seen_but_not_decided_at_the_bakes_end_is_inconclusive():
    # 2 of 60 against none of 600: 3.3 points above, beyond the 1-point tolerance, too few to
    # decide at the step's budget: not a pass.
    found = window(side("c", 60, errors=2, seed=6), side("s", 600, seed=7))
    verdict = judge_step(found, replace(RULES, min_requests=50))
    assert verdict is not None and verdict.status == "inconclusive"
    assert verdict.summary.startswith(
        "the candidate may fail more of the users' requests at 25% over 300 s (look 1): 5xx 3.33% "
        "against 0.00%, more than the 1% tolerance above it, but not decided"
    )
