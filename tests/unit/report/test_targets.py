"""The reports of a run of several targets: the whole's status (all or none), a row and a
section per target, and a JUnit testsuite per target."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cloudrun_acceptance.report.junitsplit import split_suites
from cloudrun_acceptance.report.targets import (
    overall_status,
    render_targets_markdown,
    targets_lines,
)
from tests.unit.builders import check_result, run_record

PROPERTY = "cloudrun_acceptance.target"


def records(second: str = "passed"):
    def result(target: str, outcome: str):
        figures = {"first answer (s)": "0.01"}
        return check_result(
            f"test_a[{target}]", outcome, target=target, figures=figures, summary="a is slow"
        )

    return {
        "europe-west1": run_record(result("europe-west1", "passed")),
        "us-central1": run_record(result("us-central1", second)),
    }


def test_the_whole_is_judged_all_or_none():
    assert overall_status(records()) == "PASSED"
    assert overall_status(records("failed")) == "FAILED"
    inconclusive = records()
    inconclusive["us-central1"].results[
        "tests/acceptance/test_x.py::test_a[us-central1]"
    ].inconclusive = True
    assert overall_status(inconclusive) == "INCONCLUSIVE"


def test_the_report_has_a_row_and_a_section_per_target_under_the_whole():
    text = render_targets_markdown(records("failed"))
    lines = text.splitlines()
    assert lines[0] == "# Validation report: 2 targets, all or none"
    assert lines[2] == "**FAILED** ❌: FAILED in us-central1; judged all or none, the run is FAILED"
    assert (
        "| europe-west1 | svc-a-run-app | PASSED | 1 passed, 0 failed, 0 errors, 0 skipped "
        "| not decided |" in lines
    )
    # What failed, in any target, before the table and the targets' sections.
    assert lines[3:7] == ["", "## What failed", "", "- us-central1: ❌ a: a is slow"]
    assert "## europe-west1: svc-a-run-app" in lines
    assert "## us-central1: svc-a-run-app" in lines
    assert "### Run" in lines and "## Run" not in lines
    assert "### What failed" in lines
    # Each target's figures, its checks named with one separator.
    assert "### Figures" in lines
    assert "**a · europe-west1**" in lines
    assert "| first answer (s) | 0.01 |" in lines


def test_the_terminal_says_each_target_then_the_whole():
    assert targets_lines(records("failed"), []) == [
        "cloudrun-acceptance: europe-west1: svc-a-run-app PASSED (1 passed, 0 failed, 0 errors, "
        "0 skipped)",
        "cloudrun-acceptance: us-central1: svc-a-run-app FAILED (0 passed, 1 failed, 0 errors, "
        "0 skipped)",
        "cloudrun-acceptance: 2 targets FAILED: FAILED in us-central1; judged all or none, the "
        "run is FAILED; reports: no report written",
    ]


JUNIT = f"""<?xml version="1.0" encoding="utf-8"?>
<testsuites name="pytest tests"><testsuite name="cloudrun-acceptance" errors="0" failures="1"
 skipped="1" tests="3" time="2.5" timestamp="2026-12-02T05:00:00" hostname="ci">
<testcase classname="t" name="test_a[europe-west1]" time="1.0"><properties>
<property name="{PROPERTY}" value="europe-west1"/></properties></testcase>
<testcase classname="t" name="test_a[us-central1]" time="1.0"><properties>
<property name="{PROPERTY}" value="us-central1"/></properties><failure message="slow"/></testcase>
<testcase classname="t" name="test_b[us-central1]" time="0.5"><properties>
<property name="{PROPERTY}" value="us-central1"/></properties><skipped message="no"/></testcase>
</testsuite></testsuites>"""


def test_junit_gets_a_testsuite_per_target_with_its_counts_and_properties(tmp_path):
    path = tmp_path / "run.xml"
    path.write_text(JUNIT)
    suites = {
        "europe-west1": [("cloudrun_acceptance.status", "PASSED")],
        "us-central1": [("cloudrun_acceptance.status", "FAILED")],
    }
    split_suites(path, PROPERTY, suites, "cloudrun-acceptance")
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    got = [
        (
            suite.get("name"),
            suite.get("tests"),
            suite.get("failures"),
            suite.get("skipped"),
            suite.get("time"),
            suite.get("hostname"),
            [p.get("value") for p in suite.iterfind("properties/property")],
            [case.get("name") for case in suite.iterfind("testcase")],
        )
        for suite in root
    ]
    assert got == [
        (
            "cloudrun-acceptance europe-west1",
            "1",
            "0",
            "0",
            "1.000",
            "ci",
            ["PASSED"],
            ["test_a[europe-west1]"],
        ),
        (
            "cloudrun-acceptance us-central1",
            "2",
            "1",
            "1",
            "1.500",
            "ci",
            ["FAILED"],
            ["test_a[us-central1]", "test_b[us-central1]"],
        ),
    ]


def test_checks_not_run_for_a_cause_no_check_reported_are_named_first_too():
    unknown = "not checked: the service URL is unknown; the Admin API refused"
    both = records()
    both["us-central1"].results = {
        result.nodeid: result
        for result in (
            check_result(name, "error", target="us-central1", message=unknown)
            for name in ("test_a[us-central1]", "test_b[us-central1]")
        )
    }
    lines = render_targets_markdown(both).splitlines()
    assert lines[3:7] == [
        "",
        "## What failed",
        "",
        "- us-central1: 💥 2 checks not run: the service URL is unknown; the Admin API refused",
    ]
