"""The report's pure parts: status rules, names, cells, counts."""

from __future__ import annotations

from datetime import UTC, datetime

from cloudrun_acceptance.report import (
    CheckResult,
    RunRecord,
    render_markdown,
    suite_properties,
    verdict_line,
)
from cloudrun_acceptance.target import Target


def record(*results: CheckResult, **extra) -> RunRecord:
    target = Target(url="https://svc.a.run.app", url_origin="--service-url (command line)")
    run = RunRecord(
        target=target,
        contract=None,
        facts=None,
        started=datetime(2026, 11, 25, 10, tzinfo=UTC),
        **extra,
    )
    run.results = {result.nodeid: result for result in results}
    return run


def check(name: str, outcome: str, **extra) -> CheckResult:
    return CheckResult(f"tests/acceptance/test_x.py::{name}", outcome, **extra)


def test_check_names_read_as_sentences():
    assert check("test_metrics_enabled", "passed").name == "metrics enabled"
    assert (
        check("test_metric_is_exposed_with_its_type[cache_size]", "passed").name
        == "metric is exposed with its type · cache_size"
    )


def test_status_rules():
    assert record(check("test_a", "passed")).status == "PASSED"
    assert record(check("test_a", "passed"), check("test_b", "failed")).status == "FAILED"
    assert record(check("test_a", "passed"), check("test_b", "error")).status == "FAILED"
    assert (
        record(check("test_a", "passed"), check("test_b", "skipped", inconclusive=True)).status
        == "INCONCLUSIVE"
    )
    assert (
        record(check("test_a", "passed"), check("test_b", "failed", inconclusive=True)).status
        == "INCONCLUSIVE"
    )
    assert record(check("test_a", "skipped")).status == "FAILED"  # nothing passed is not a pass
    assert record(check("test_a", "passed"), interrupted=True).status == "FAILED"
    assert record(check("test_a", "passed"), check("test_b", "not run")).status == "FAILED"


def test_cells_escape_pipes_and_fold_lines():
    text = render_markdown(
        record(check("test_a", "failed", summary="a | b\nc", message="a | b\nc"))
    )
    assert "| a | ❌ failed | a \\| b c |" in text
    assert "```text\na | b\nc\n```" in text


def test_counts_and_verdict_line():
    run = record(
        check("test_a", "passed"), check("test_b", "not run"), deselected=["tests/x.py::test_c"]
    )
    assert run.counts() == "1 passed, 0 failed, 0 errors, 0 skipped, 1 not run, 1 deselected"
    assert verdict_line(run, []) == (
        "cloudrun-acceptance: svc-a-run-app FAILED (1 passed, 0 failed, 0 errors, 0 skipped, 1 not run, 1 deselected); "
        "reports: no report written"
    )


def test_suite_properties_leave_out_what_is_unknown():
    names = dict(suite_properties(record(check("test_a", "passed"))))
    assert names["cloudrun_acceptance.service_url"] == "https://svc.a.run.app"
    assert "cloudrun_acceptance.revision" not in names
    assert names["cloudrun_acceptance.started_at"] == "2026-11-25T10:00:00Z"
