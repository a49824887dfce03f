"""The root causes and the checks not run: "not checked" errors are counted on one line under
the check they point at, and are a cause of their own only when no check reported it."""

from __future__ import annotations

from cloudrun_acceptance.report.causes import causes_markdown, not_run_markdown, root_causes
from tests.unit.builders import check_result, run_record

NOT_CHECKED = "not checked: http://x/metrics gave no usable exposition; see test_metrics_enabled"


def dependent(name: str):
    return check_result(name, "error", message=NOT_CHECKED)


def test_dependents_make_one_line_naming_the_check_they_point_at():
    record = run_record(
        check_result("test_metrics_enabled", "failed", summary="metrics are disabled"),
        dependent("test_metric_is_exposed_with_its_type[a_total]"),
        dependent("test_metric_is_exposed_with_its_type[b_total]"),
        dependent("test_exposition_passes_lint"),
        check_result("test_x", "error", message="Traceback...\nKeyError: 'x'"),
    )
    assert [result.name for result in root_causes(record)] == ["metrics enabled", "x"]
    assert not_run_markdown(record) == [
        "",
        "## Not run",
        "",
        "- 3 checks not run because ❌ metrics enabled failed: http://x/metrics gave no usable "
        "exposition (metric is exposed with its type: a_total, b_total; exposition passes "
        "lint)",
    ]
    causes = "\n".join(causes_markdown(record))
    assert "### 💥 error: x\n\nTraceback...\n\n```text\nKeyError: 'x'\n```" in causes
    assert "a_total" not in causes


def test_dependents_whose_cause_no_check_reported_are_a_cause_themselves():
    record = run_record(
        check_result("test_a", "error", message="not checked: the service URL is unknown"),
        check_result("test_b", "error", message="not checked: the service URL is unknown"),
    )
    assert causes_markdown(record) == [
        "",
        "## What failed",
        "",
        "### 💥 not run: 2 checks",
        "",
        "the service URL is unknown",
        "",
        "- a",
        "- b",
    ]
    assert not_run_markdown(record) == []


def test_skips_the_end_of_a_run_and_deselection_a_line_each():
    record = run_record(
        check_result("test_a", "skipped", message="mutating check: give a test session"),
        check_result("test_b", "skipped", message="mutating check: give a test session"),
        check_result("test_c", "not run"),
        check_result("test_d", "skipped", inconclusive=True, summary="counters moved elsewhere"),
        deselected=["tests/acceptance/test_x.py::test_e"],
    )
    assert not_run_markdown(record)[3:] == [
        "- 2 checks skipped: mutating check: give a test session (a; b)",
        "- 1 check not run: the run ended before it (c)",
        "- 1 check deselected by -k / -m (e)",
    ]
    assert causes_markdown(record)[:4] == [
        "",
        "## What was not decided",
        "",
        "### ⚠️ inconclusive: d",
    ]


def test_a_traceback_that_holds_a_fence_gets_a_longer_one():
    record = run_record(check_result("test_a", "failed", summary="x", message="tb\n```y```\nE x"))
    assert causes_markdown(record)[-5:] == ["````text", "tb", "```y```", "E x", "````"]
