"""The analysis judgements: counters move after a forced call; the repeated call is a fast hit."""

from __future__ import annotations

from cloudrun_acceptance.checks.analysis import judge_analysis, judge_cache
from cloudrun_acceptance.model.contract import (
    AnalysisRules,
    CacheRules,
    CounterRule,
    RequestSpec,
)
from cloudrun_acceptance.model.exchange import Exchange
from cloudrun_acceptance.model.observations import CounterRun, Reading

CALL = Exchange(
    "POST",
    "http://svc/api/memory/analyze",
    200,
    "OK",
    "application/json",
    body='{"status":"completed"}',
    elapsed=1.2,
)


RULE = CounterRule("hits_total", {}, 1)


ANALYSIS = AnalysisRules(
    RequestSpec("POST", "/api/work", body_kind="json", body={"session_id": "{test_session}"})
)
CACHE = CacheRules(RequestSpec("POST", "/api/work"), budget_seconds=0.3)


def test_analysis_passes_when_counters_move():
    run = CounterRun("moved", (CALL,), (Reading(RULE, 1, 2),), instance="p=1")
    verdict = judge_analysis(run=run, rules=ANALYSIS)
    assert verdict.status == "passed"
    assert verdict.figures["hits_total before/after"] == "1 -> 2"


def test_analysis_without_an_answer_names_the_timeout_to_raise():
    timed_out = Exchange(
        "POST", "http://svc/api/work", error="no answer within 60 s (read timeout)", elapsed=60.0
    )
    verdict = judge_analysis(run=CounterRun("stuck", (timed_out,)), rules=ANALYSIS)
    assert (
        verdict.summary == "the forced analysis got no answer: no answer within 60 s (read timeout)"
    )
    assert "analysis.timeout_seconds in the contract (60 s)" in verdict.advice


def test_analysis_inconclusive_is_not_a_pass():
    run = CounterRun(
        "inconclusive",
        (CALL,),
        notes=("all 5 scrapes after the action came from instances without a baseline",),
    )
    assert judge_analysis(run=run, rules=ANALYSIS).status == "inconclusive"


def test_cache_is_judged_on_the_median_of_the_samples():
    fast, slow = (Exchange("POST", "u", 200, "OK", elapsed=t) for t in (0.1, 0.9))
    run = CounterRun("moved", (fast, fast, slow), (Reading(RULE, 0, 3),))
    assert judge_cache(run=run, rules=CACHE).status == "passed"
    run = CounterRun("moved", (slow, slow, fast), (Reading(RULE, 0, 3),))
    verdict = judge_cache(run=run, rules=CACHE)
    assert verdict.status == "failed"
    assert (
        "median 0.900 s over the 0.3 s budget (samples: 0.900, 0.900, 0.100 s)" in verdict.summary
    )
