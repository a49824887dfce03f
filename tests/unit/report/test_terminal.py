"""The verdict line at the end of the terminal."""

from __future__ import annotations

from cloudrun_acceptance.report.terminal import verdict_line
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
