"""The JUnit properties: the suite's, and each testcase's from its verdict's figures."""

from __future__ import annotations

from cloudrun_acceptance.model.compare import HISTOGRAM_PREFIX
from cloudrun_acceptance.report.junit import case_properties, property_name, suite_properties
from tests.unit.builders import check_result, run_record


def test_suite_properties_leave_out_what_is_unknown():
    names = dict(suite_properties(run_record(check_result("test_a", "passed"))))
    assert names["cloudrun_acceptance.service_url"] == "https://svc.a.run.app"
    assert "cloudrun_acceptance.revision" not in names
    assert names["cloudrun_acceptance.started_at"] == "2026-11-25T10:00:00Z"


def test_figures_become_prefixed_property_names_with_their_unit():
    assert property_name("first answer (s)") == "cloudrun_acceptance.first_answer_s"
    assert property_name("baseline p95 (ms)") == "cloudrun_acceptance.baseline_p95_ms"
    assert property_name("traffic (%)") == "cloudrun_acceptance.traffic_pct"
    assert property_name("revision") == "cloudrun_acceptance.revision"
    assert property_name("memory_analysis_cache_hits_total before/after") == (
        "cloudrun_acceptance.memory_analysis_cache_hits_total_before_after"
    )


def test_raw_arrays_stay_out_of_the_testcase_properties():
    figures = {
        "pairs": "40",
        "samples (s)": "0.01, 0.02, 0.01",
        f"{HISTOGRAM_PREFIX}bins (ms)": "1.0 2.0 3.0",
        f"{HISTOGRAM_PREFIX}baseline": "3 1",
        "baseline statuses": "200 x40",
        "shift interval (%)": "-3.1% to +6.0%",
    }
    assert case_properties(figures) == [
        ("cloudrun_acceptance.pairs", "40"),
        ("cloudrun_acceptance.baseline_statuses", "200 x40"),
        ("cloudrun_acceptance.shift_interval_pct", "-3.1% to +6.0%"),
    ]
