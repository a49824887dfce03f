"""The judgements: observations and the contract in, a verdict with evidence out."""

from __future__ import annotations

from cloudrun_acceptance.checks.analysis import judge_analysis, judge_cache
from cloudrun_acceptance.checks.health import judge_health
from cloudrun_acceptance.checks.metrics import (
    judge_coverage,
    judge_enabled,
    judge_lint,
    judge_presence,
)
from cloudrun_acceptance.client import Exchange, Readiness
from cloudrun_acceptance.contract import (
    AnalysisRules,
    CacheRules,
    CounterRule,
    ExpectedMetric,
    MetricsRules,
)
from cloudrun_acceptance.exposition import parse_exposition
from cloudrun_acceptance.probes import CounterRun, Reading, Scrape

BODY = (
    '# HELP jobs_total Jobs.\n# TYPE jobs_total counter\njobs_total{kind="a"} 1\n'
    "# HELP queue Queue.\n# TYPE queue gauge\nqueue 2\n"
    "# TYPE nohelp gauge\nnohelp 1\n"
)
SNAPSHOT = parse_exposition(BODY)


def ready(status: int, body: str = "{}", waited: float = 0.5) -> Readiness:
    return Readiness(
        True,
        waited,
        2,
        Exchange(
            "GET", "http://svc/api/health", status, "X", "application/json", body=body, elapsed=0.01
        ),
        60,
    )


def test_health_passes_on_json_and_reports_the_wait():
    verdict = judge_health(ready(200))
    assert verdict.status == "passed"
    assert verdict.figures["first answer (s)"] == "0.50"


def test_health_fails_on_non_json_200():
    verdict = judge_health(ready(200, "<html>"))
    assert verdict.status == "failed"
    assert verdict.summary == "health answered 200 but the body is not JSON"


def test_health_fails_on_404_with_the_path_hint():
    verdict = judge_health(ready(404))
    assert verdict.summary == "health answered 404, expected 200 with JSON"
    assert "health.path in the contract" in verdict.advice


def test_enabled_rejects_an_untyped_body():
    scrape = Scrape(
        Exchange("GET", "http://svc/m", 200, "OK", "text/plain", body="ok 1"),
        parse_exposition("ok 1"),
        "untyped",
    )
    verdict = judge_enabled(scrape, MetricsRules())
    assert verdict.status == "failed"
    assert "no family declares a # TYPE" in verdict.summary


def test_presence_checks_type_and_labels():
    assert (
        judge_presence(SNAPSHOT, ExpectedMetric("jobs_total", "counter", ("kind",))).status
        == "passed"
    )
    assert judge_presence(SNAPSHOT, ExpectedMetric("jobs", "counter", ("kind",))).status == "passed"
    wrong_type = judge_presence(SNAPSHOT, ExpectedMetric("queue", "counter"))
    assert wrong_type.summary == "queue is exposed as a gauge, the contract says counter"
    wrong_labels = judge_presence(
        SNAPSHOT, ExpectedMetric("jobs_total", "counter", ("kind", "provider"))
    )
    assert (
        wrong_labels.summary
        == "jobs_total has labels ['kind'], the contract says ['kind', 'provider']"
    )


def test_coverage_counts_present_metrics_against_the_threshold():
    rules = MetricsRules(
        expected=(
            ExpectedMetric("jobs_total", "counter"),
            ExpectedMetric("queue", "gauge"),
            ExpectedMetric("gone", "gauge"),
        ),
        min_present=3,
    )
    verdict = judge_coverage(SNAPSHOT, rules)
    assert verdict.status == "failed"
    assert verdict.summary == "2 of 3 expected metrics present (at least 3 required)"
    assert verdict.evidence == ("missing: gone",)


def test_lint_fails_only_on_contract_metrics_by_default():
    on_contract = MetricsRules(expected=(ExpectedMetric("nohelp", "gauge"),))
    assert judge_lint(SNAPSHOT, on_contract).status == "failed"
    elsewhere = MetricsRules(expected=(ExpectedMetric("queue", "gauge"),))
    verdict = judge_lint(SNAPSHOT, elsewhere)
    assert verdict.status == "passed"
    assert verdict.evidence == ("nohelp: no help text",)
    assert judge_lint(SNAPSHOT, MetricsRules(lint_fails_on="all")).status == "failed"
    assert (
        judge_lint(
            SNAPSHOT,
            MetricsRules(lint_fails_on="none", expected=(ExpectedMetric("nohelp", "gauge"),)),
        ).status
        == "passed"
    )


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
ANALYSIS = AnalysisRules(path="/api/work", body={"session_id": "{test_session}"})


def test_analysis_passes_when_counters_move():
    run = CounterRun("moved", (CALL,), (Reading(RULE, 1, 2),), instance="p=1")
    verdict = judge_analysis(run, ANALYSIS)
    assert verdict.status == "passed"
    assert verdict.figures["hits_total before/after"] == "1 -> 2"


def test_analysis_without_an_answer_names_the_timeout_to_raise():
    timed_out = Exchange(
        "POST", "http://svc/api/work", error="no answer within 60 s (read timeout)", elapsed=60.0
    )
    verdict = judge_analysis(CounterRun("stuck", (timed_out,)), ANALYSIS)
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
    assert judge_analysis(run, ANALYSIS).status == "inconclusive"


def test_cache_is_judged_on_the_median_of_the_samples():
    fast, slow = (Exchange("POST", "u", 200, "OK", elapsed=t) for t in (0.1, 0.9))
    run = CounterRun("moved", (fast, fast, slow), (Reading(RULE, 0, 3),))
    assert judge_cache(run, CacheRules(body={}, budget_seconds=0.3)).status == "passed"
    run = CounterRun("moved", (slow, slow, fast), (Reading(RULE, 0, 3),))
    verdict = judge_cache(run, CacheRules(body={}, budget_seconds=0.3))
    assert verdict.status == "failed"
    assert (
        "median 0.900 s over the 0.3 s budget (samples: 0.900, 0.900, 0.100 s)" in verdict.summary
    )
