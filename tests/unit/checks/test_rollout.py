"""A rollout step judged on its window of users' requests; the traffic of a step and of the
rollback."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from cloudrun_acceptance.checks.rollout import back_to_stable, judge_step, stable_of, step_traffic
from cloudrun_acceptance.model.rollout import RevisionTraffic, RolloutRules, StepWindow
from cloudrun_acceptance.model.service import TrafficRow
from tests.unit.builders import service_facts

RULES = RolloutRules(min_requests=50)
START = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def side(revision: str, n: int, *, errors: int = 0, median: float = 0.010, seed: int = 1):
    draw = random.Random(seed)
    latencies = tuple(median * draw.uniform(0.8, 1.2) for _ in range(n))
    statuses = tuple(500 if i < errors else 200 for i in range(n))
    return RevisionTraffic(revision, statuses, latencies)


def window(candidate: RevisionTraffic, stable: RevisionTraffic, share: int = 25) -> StepWindow:
    return StepWindow(share, START, START + timedelta(seconds=300), candidate, stable)


def test_a_candidate_like_the_stable_revision_passes_with_its_row():
    verdict = judge_step(window(side("c", 200, seed=2), side("s", 600, seed=3)), RULES)
    assert verdict.status == "passed"
    assert verdict.summary.startswith(
        "c answered 200 users' requests, s 600 at 25% over 300 s: 5xx 0.00% against 0.00%"
    )
    figures = verdict.figures
    assert (figures["share (%)"], figures["candidate requests"], figures["stable requests"]) == (
        "25",
        "200",
        "600",
    )
    assert figures["window"] == "2026-12-02T10:00:00+00:00 to 2026-12-02T10:05:00+00:00 (300 s)"


def test_more_5xx_fails_with_both_rates_and_the_test():
    verdict = judge_step(window(side("c", 200, errors=8), side("s", 600, errors=1)), RULES)
    assert verdict.status == "failed"
    assert verdict.summary.startswith(
        "the candidate failed more of the users' requests at 25% over 300 s: 8 of 200 5xx "
        "(4.00%) against the stable revision's 1 of 600 (0.17%); Fisher's exact test, p="
    )
    assert 'resource.labels.revision_name="c"' in verdict.advice


def test_slower_beyond_the_tolerance_fails():
    verdict = judge_step(window(side("c", 300, median=0.015), side("s", 300, median=0.010)), RULES)
    assert verdict.status == "failed"
    assert "the candidate answered the users' requests slower at 25%" in verdict.summary
    assert "tolerance 1.0 ms (10% of the stable median)" in verdict.summary


def test_too_few_requests_is_inconclusive_with_the_counts():
    verdict = judge_step(window(side("c", 10), side("s", 600)), RULES)
    assert verdict.status == "inconclusive"
    assert verdict.summary == (
        "too few users' requests at 25% over 300 s to judge the step: c answered 10 users' "
        "requests, s 600 (at least 50 each, rollout.min_requests)"
    )


def test_the_steps_traffic_keeps_the_tags_and_the_rollback_sends_all_back():
    facts = service_facts(name="cand")
    facts = replace(
        facts,
        traffic=(TrafficRow("stable", 100), TrafficRow("cand", 0, tag="candidate")),
    )
    assert stable_of(facts) == ("stable", "")
    assert step_traffic(facts, 25) == (
        TrafficRow("cand", 25),
        TrafficRow("stable", 75),
        TrafficRow("cand", 0, tag="candidate"),
    )
    assert back_to_stable(facts, "stable") == (
        TrafficRow("stable", 100),
        TrafficRow("cand", 0, tag="candidate"),
    )


def test_a_split_traffic_has_no_stable_revision():
    facts = replace(
        service_facts(name="cand"),
        traffic=(TrafficRow("a", 50), TrafficRow("b", 50)),
    )
    assert stable_of(facts) == (
        "",
        "the traffic is split between a, b: a rollout moves it from one stable revision",
    )
