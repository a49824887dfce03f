"""The metrics judgements: switched on, each family present with its type, coverage, lint."""

from __future__ import annotations

from cloudrun_acceptance.checks.metrics import (
    judge_coverage,
    judge_enabled,
    judge_lint,
    judge_presence,
)
from cloudrun_acceptance.metrics.exposition import parse_exposition
from cloudrun_acceptance.model.contract import (
    ExpectedMetric,
    MetricsRules,
)
from cloudrun_acceptance.model.exchange import Exchange
from cloudrun_acceptance.model.observations import Scrape
from tests.paths import EXPOSITIONS

BODY = (
    '# HELP jobs_total Jobs.\n# TYPE jobs_total counter\njobs_total{kind="a"} 1\n'
    "# HELP queue Queue.\n# TYPE queue gauge\nqueue 2\n"
    "# TYPE nohelp gauge\nnohelp 1\n"
)


SNAPSHOT = parse_exposition(BODY)


def test_enabled_rejects_an_untyped_body():
    scrape = Scrape(
        Exchange("GET", "http://svc/m", 200, "OK", "text/plain", body="ok 1"),
        parse_exposition("ok 1"),
        "untyped",
    )
    verdict = judge_enabled(scrape=scrape, rules=MetricsRules())
    assert verdict.status == "failed"
    assert "no family declares a # TYPE" in verdict.summary


def test_presence_checks_type_and_labels():
    assert (
        judge_presence(
            snapshot=SNAPSHOT, expected=ExpectedMetric("jobs_total", "counter", ("kind",))
        ).status
        == "passed"
    )
    assert (
        judge_presence(
            snapshot=SNAPSHOT, expected=ExpectedMetric("jobs", "counter", ("kind",))
        ).status
        == "passed"
    )
    wrong_type = judge_presence(snapshot=SNAPSHOT, expected=ExpectedMetric("queue", "counter"))
    assert wrong_type.summary == "queue is exposed as a gauge, the contract says counter"
    wrong_labels = judge_presence(
        snapshot=SNAPSHOT, expected=ExpectedMetric("jobs_total", "counter", ("kind", "provider"))
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
    verdict = judge_coverage(snapshot=SNAPSHOT, rules=rules)
    assert verdict.status == "failed"
    assert verdict.summary == "2 of 3 expected metrics present (at least 3 required)"
    assert verdict.evidence == ("missing: gone",)


def test_lint_fails_only_on_contract_metrics_by_default():
    on_contract = MetricsRules(expected=(ExpectedMetric("nohelp", "gauge"),))
    assert judge_lint(snapshot=SNAPSHOT, rules=on_contract).status == "failed"
    elsewhere = MetricsRules(expected=(ExpectedMetric("queue", "gauge"),))
    verdict = judge_lint(snapshot=SNAPSHOT, rules=elsewhere)
    assert verdict.status == "passed"
    assert verdict.evidence == ("nohelp: no help text",)
    assert judge_lint(snapshot=SNAPSHOT, rules=MetricsRules(lint_fails_on="all")).status == "failed"
    assert (
        judge_lint(
            snapshot=SNAPSHOT,
            rules=MetricsRules(lint_fails_on="none", expected=(ExpectedMetric("nohelp", "gauge"),)),
        ).status
        == "passed"
    )


def test_presence_on_a_real_exporter_tells_the_counter_from_the_gauge():
    snapshot = parse_exposition((EXPOSITIONS / "node_exporter.txt").read_text())
    counter = judge_presence(
        snapshot=snapshot, expected=ExpectedMetric("go_memstats_alloc_bytes_total", "counter")
    )
    gauge = judge_presence(
        snapshot=snapshot, expected=ExpectedMetric("go_memstats_alloc_bytes", "gauge")
    )
    assert (counter.status, gauge.status) == ("passed", "passed"), counter.message + gauge.message
    wrong = judge_presence(
        snapshot=snapshot, expected=ExpectedMetric("go_memstats_alloc_bytes_total", "gauge")
    )
    assert wrong.summary == (
        "go_memstats_alloc_bytes_total is exposed as a counter, the contract says gauge"
    )
    assert wrong.evidence == ("# TYPE line: go_memstats_alloc_bytes_total counter",)


SHOP = MetricsRules(
    path="/internal/metrics",
    enable_env="SHOP_METRICS",
    enable_value="on",
    disabled_pattern="switched off",
)


def test_a_services_own_disabled_body_is_disabled_metrics_and_names_its_switch():
    body = "metrics are switched off (SHOP_METRICS is not on)\n"
    scrape = Scrape(
        Exchange("GET", "http://svc/internal/metrics", 404, "Not Found", "text/plain", body=body),
        problem="disabled",
        detail="the body matches 'switched off'",
    )
    verdict = judge_enabled(scrape=scrape, rules=SHOP)
    assert verdict.summary == (
        "metrics are disabled: http://svc/internal/metrics answered 404 with the body of "
        "switched-off metrics (the body matches 'switched off')"
    )
    assert verdict.advice == (
        "set SHOP_METRICS=on on the revision (in env.yaml, then deploy again with --env-vars-file "
        "env.yaml); the service switches its metrics on only for the exact string 'on' "
        "(metrics.enable_value in the contract)."
    )


def test_an_answer_that_may_be_switched_off_metrics_names_the_contracts_switch():
    scrape = Scrape(
        Exchange("GET", "http://svc/m", 404, "Not Found", "text/plain", body="off"),
        problem="status",
        detail="status 404",
    )
    advice = judge_enabled(
        scrape=scrape, rules=MetricsRules(enable_env="SHOP_METRICS", enable_value="on")
    ).advice
    assert advice.endswith(
        "If this is the service's answer with its metrics off, set SHOP_METRICS=on; give "
        "metrics.disabled_pattern in the contract to recognise that answer."
    )
    assert "If this" not in judge_enabled(scrape=scrape, rules=MetricsRules()).advice
