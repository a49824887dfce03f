"""The JUnit suite properties."""

from __future__ import annotations

from cloudrun_acceptance.report.junit import suite_properties
from tests.unit.builders import check_result, run_record


def test_suite_properties_leave_out_what_is_unknown():
    names = dict(suite_properties(run_record(check_result("test_a", "passed"))))
    assert names["cloudrun_acceptance.service_url"] == "https://svc.a.run.app"
    assert "cloudrun_acceptance.revision" not in names
    assert names["cloudrun_acceptance.started_at"] == "2026-11-25T10:00:00Z"
