"""The analysis judgements: counters move after the contract's action; its repeated call is a
fast hit. The messages name the contract's call and counters, whatever the service."""

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
    assert verdict.summary == "POST /api/work got no answer: no answer within 60 s (read timeout)"
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


SHOP = AnalysisRules(
    RequestSpec("PUT", "/orders/{test_session}"),
    counters=(CounterRule("orders_placed_total"), CounterRule("order_seconds_count")),
)


def test_messages_name_the_contracts_call_and_counters():
    put = Exchange("PUT", "http://svc/orders/o-1", 201, "Created", elapsed=0.2)
    moved = (Reading(SHOP.counters[0], 0, 1), Reading(SHOP.counters[1], 4, 5))
    verdict = judge_analysis(run=CounterRun("moved", (put,), moved), rules=SHOP)
    assert verdict.summary == (
        "PUT /orders/{test_session} answered 201 in 0.20 s; counters moved: "
        "orders_placed_total +1, order_seconds_count +1"
    )
    missing = Exchange("PUT", "http://svc/orders/o-1", 404, "Not Found", body="no such session")
    verdict = judge_analysis(run=CounterRun("stuck", (missing,)), rules=SHOP)
    assert verdict.summary == "PUT /orders/{test_session} answered 404, expected 2xx"
    assert (
        "the test session (in the request above) does not exist on this service" in verdict.advice
    )
    assert "forced" not in verdict.advice + verdict.summary


def test_a_counter_the_exposition_lacks_names_the_closest_not_the_code_path():
    put = Exchange("PUT", "http://svc/orders/o-1", 201, "Created", elapsed=0.2)
    absent = Reading(SHOP.counters[1], None, None, "closest names exposed: order_seconds_count")
    run = CounterRun("stuck", (put,), (Reading(SHOP.counters[0], 0, 1), absent), instance="p=1")
    verdict = judge_analysis(run=run, rules=SHOP)
    assert verdict.summary == (
        "1 counter(s) of analysis.counters not exposed after PUT /orders/{test_session}: "
        "order_seconds_count"
    )
    assert verdict.evidence[1] == (
        "order_seconds_count: not exposed (before absent, after absent); "
        "closest names exposed: order_seconds_count"
    )
    assert "name one it has in analysis.counters" in verdict.advice
    assert "code path" not in verdict.advice


def test_a_cache_without_counters_says_so_and_claims_no_hit():
    fast = Exchange("GET", "http://svc/orders/o-1", 200, "OK", elapsed=0.01)
    rules = CacheRules(RequestSpec("GET", "/orders/{test_session}"), budget_seconds=0.3)
    verdict = judge_cache(run=CounterRun("moved", (fast, fast, fast)), rules=rules)
    assert verdict.status == "passed"
    assert verdict.summary == (
        "the repeated GET /orders/{test_session}: median 0.010 s within the 0.3 s budget "
        "(samples: 0.010, 0.010, 0.010 s); the contract names no cache counter (cache.counters), "
        "so hits were not counted"
    )
    slow = Exchange("GET", "http://svc/orders/o-1", 200, "OK", elapsed=0.5)
    verdict = judge_cache(run=CounterRun("moved", (slow, slow, slow)), rules=rules)
    assert verdict.advice.startswith(
        "they were slow (the contract names no cache counter, so whether they came from the "
        "cache is not known)"
    )


def test_a_cache_counter_that_did_not_move_is_named():
    fast = Exchange("POST", "u", 200, "OK", elapsed=0.1)
    verdict = judge_cache(run=CounterRun("stuck", (fast,), (Reading(RULE, 3, 3),)), rules=CACHE)
    assert verdict.summary == (
        "the repeated POST /api/work is not a fast cache hit: hits_total did not increase: the "
        "answers did not come from the cache"
    )
