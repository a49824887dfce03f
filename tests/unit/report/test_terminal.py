"""The verdict line at the end of the terminal."""

from __future__ import annotations

from cloudrun_acceptance.report.terminal import not_checked_lines, verdict_line
from tests.unit.builders import check_result, run_record


def test_counts_and_verdict_line():
    run = run_record(
        check_result("test_a", "passed"),
        check_result("test_b", "not run"),
        deselected=["tests/x.py::test_c"],
    )
    assert run.counts() == "1 passed, 0 failed, 0 errors, 0 skipped, 1 not run, 1 deselected"
    assert verdict_line(run, []) == (
        "cloudrun-acceptance: svc-a-run-app FAILED (1 passed, 0 failed, 0 errors, 0 skipped, 1 not run, 1 deselected); "
        "reports: no report written"
    )


def test_the_checks_not_checked_are_one_line_per_cause_in_the_order_seen():
    exposition = "not checked: no usable exposition; see test_metrics_enabled"
    cache = "not checked: nothing is cached; see test_forced_analysis_moves_the_counters"
    assert not_checked_lines([exposition, cache, exposition + "\n", "not checked: a\n  b"]) == [
        "cloudrun-acceptance: 2 checks not checked: no usable exposition; see test_metrics_enabled",
        "cloudrun-acceptance: 1 check not checked: nothing is cached; see "
        "test_forced_analysis_moves_the_counters",
        "cloudrun-acceptance: 1 check not checked: a",
        "    b",
    ]
