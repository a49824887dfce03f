"""The reports of a run: JUnit suite properties, the markdown report, the step summary, the verdict."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from cloudrun_acceptance.model.version import VERSION
from tests.integration.gatekit import (
    COMPARE,
    ENABLED,
    HEALTH,
    REVISION_CHECKS,
    UNTAGGED,
    UNTAGGED_NOT_RUN,
    compare_skips,
    edit_contract,
    not_run,
    run_gate,
)

TOKEN = "s3cr3t-token-do-not-print"


def only(directory: Path, pattern: str) -> Path:
    found = sorted(directory.glob(pattern))
    assert len(found) == 1, found
    return found[0]


def properties(junit: Path) -> dict[str, str]:
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    return {p.get("name", ""): p.get("value", "") for p in suite.iter("property")}


def junit_status(reports: Path) -> str:
    """The gate status recorded in the one JUnit file of ``reports``."""
    return properties(only(reports, "*.xml"))["cloudrun_acceptance.status"]


def test_junit_names_the_revision_and_carries_the_suite_properties(gate_dir):
    run = run_gate(gate_dir, "--sandbox")
    junit = only(gate_dir.path / "reports", "emergence-app-00003-abc-*Z.xml")
    props = properties(junit)
    assert props["cloudrun_acceptance.revision"] == "emergence-app-00003-abc"
    assert props["cloudrun_acceptance.project"] == "sandbox-project"
    assert props["cloudrun_acceptance.region"] == "europe-west1"
    assert props["cloudrun_acceptance.service"] == "emergence-app"
    assert props["cloudrun_acceptance.image"].endswith("emergence-app:sandbox")
    assert props["cloudrun_acceptance.service_url"].startswith("http://127.0.0.1:")
    assert props["cloudrun_acceptance.contract"].endswith("tests/acceptance/contract.yaml")
    assert len(props["cloudrun_acceptance.contract_sha256"]) == 64
    assert props["cloudrun_acceptance.status"] == "PASSED"
    assert props["cloudrun_acceptance.gate_version"] == VERSION
    assert props["cloudrun_acceptance.started_at"] <= props["cloudrun_acceptance.finished_at"]
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("name") == "cloudrun-acceptance"
    names = {case.get("name") for case in suite.iter("testcase")}
    assert {HEALTH, ENABLED} <= names
    assert run.result.ret == 0


def test_markdown_report_of_a_passing_run_has_the_runbook_figures(gate_dir, monkeypatch):
    monkeypatch.setenv("SERVICE_TOKEN", TOKEN)
    run = run_gate(gate_dir, "--sandbox", "--auth=bearer")
    report = only(gate_dir.path / "reports", "emergence-app-00003-abc-*Z.md").read_text()
    assert report.startswith(
        "# Validation report: emergence-app-00003-abc\n\n"
        "**PASSED** ✅: 42 passed, 0 failed, 0 errors, 6 skipped\n"
    )
    # The passing checks folded: GitHub renders the table inside after the blank line.
    assert (
        '<details markdown="1"><summary>✅ 42 checks passed</summary>\n\n| Check | Summary |\n'
        in report
    )
    for expected in (
        "| enough contract metrics are present | 13 of 13 expected metrics present (at least 10 required) |",
        "## Initial metric values",
        "| memory_analysis_cache_hits_total | 0 |",
        '| memory_analysis_success_total{provider="neo_analysis"} before/after | 0 -> 1 |',
        "| memory_analysis_cache_hits_total before/after | 0 -> 3 |",
        "| CONCEPT_RECALL_METRICS_ENABLED | `true` |",
        "| Memory | 4Gi |",
        "| Secrets (name:version; values never read) | OPENAI_API_KEY ← `OPENAI_API_KEY:5`",
    ):
        assert expected in report, expected
    # Durations are figures with their unit, whatever a loaded machine makes of them.
    assert re.search(r"\| analysis \(s\) \| \d+\.\d+", report)
    assert re.search(r"\| cache hit median \(s\) \| \d+\.\d{2,}", report)
    assert "## What failed" not in report
    # Skipped, outside the candidate flow: the comparison's checks, and only they.
    assert run.skipped == COMPARE
    assert f"## Candidate vs stable\n\nNot compared: {UNTAGGED}.\n" in report
    assert not_run(report) == [UNTAGGED_NOT_RUN]
    outputs = [
        report,
        only(gate_dir.path / "reports", "*.xml").read_text(),
        run.result.stdout.str(),
        run.result.stderr.str(),
    ]
    assert not [text for text in outputs if TOKEN in text]


def test_inconclusive_run_says_so(gate_dir):
    run_gate(gate_dir, "--sandbox", "--sandbox-fault", "instance_churn", "--inconclusive=skip")
    report = only(gate_dir.path / "reports", "*.md").read_text()
    assert report.splitlines()[2].startswith("**INCONCLUSIVE** ⚠️: ")
    assert (
        "## What was not decided\n\n### ⚠️ inconclusive: forced analysis moves the counters\n"
        in (report)
    )


def test_step_summary_gets_the_report_appended(gate_dir, monkeypatch):
    summary = gate_dir.path / "summary.md"
    summary.write_text("# Deploy\n\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run_gate(gate_dir, "--sandbox")
    text = summary.read_text()
    assert text.startswith(
        "# Deploy\n\n# Validation report: emergence-app-00003-abc\n\n**PASSED** ✅: 42 passed"
    )
    assert text.count("**PASSED** ✅") == 1
    assert text.count('<details markdown="1"><summary>✅ 42 checks passed</summary>\n\n') == 1


def test_terminal_ends_with_a_one_line_verdict(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "traffic_split")
    run.result.stdout.fnmatch_lines(
        [
            *compare_skips(UNTAGGED),
            "FAILED *test_revision_serves_expected_traffic*",
            "cloudrun-acceptance: emergence-app-00003-abc FAILED (41 passed, 1 failed, 0 errors, 6 skipped); "
            "reports: reports/emergence-app-00003-abc-*Z.md",
            "*= 1 failed, 41 passed, 6 skipped in *",
        ]
    )


def line_of(report: str, start: str) -> str:
    """The one line of the report that starts with ``start``."""
    lines = [line for line in report.splitlines() if line.startswith(start)]
    assert len(lines) == 1, report
    return lines[0]


def test_subset_report_says_which_checks_were_not_run(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "-k", "test_health or test_metrics_enabled")
    assert run.passed == {HEALTH, ENABLED}
    report = only(gate_dir.path / "reports", "*.md").read_text()
    assert "**PASSED** ✅: 2 passed, 0 failed, 0 errors, 0 skipped, 46 deselected\n" in report
    assert "## Not run" in report
    deselected = line_of(report, "- 46 checks deselected by -k / -m (")
    assert "revision serves expected traffic" in deselected


def test_service_url_run_names_reports_after_the_host_and_lists_skips(gate_dir, running_sandbox):
    run_gate(gate_dir, f"--service-url={running_sandbox.service_url}")
    report = only(gate_dir.path / "reports", "127-0-0-1-*Z.md").read_text()
    assert "| Revision | not read |" in report
    # One line per reason, each naming the checks it covers; the checks table lists none of them.
    revision = line_of(
        report, f"- {len(REVISION_CHECKS)} checks skipped: reads the revision from the Cloud Run"
    )
    assert "(admin api describes the service; " in revision
    mutating = line_of(report, "- 2 checks skipped: mutating check: give a test session to run")
    assert "(forced analysis moves the counters; cached analysis answers" in mutating
    # And the comparison's, outside the candidate flow (no --tag without a service).
    assert line_of(report, f"- 6 checks skipped: {UNTAGGED}") == UNTAGGED_NOT_RUN
    assert report.count("\n- ") == 3
    assert "⏭️" not in report


def test_user_junitxml_still_works_and_gets_the_properties(gate_dir):
    run_gate(gate_dir, "--sandbox", "--junitxml=out/gate.xml")
    assert properties(gate_dir.path / "out/gate.xml")["cloudrun_acceptance.status"] == "PASSED"
    assert not list((gate_dir.path / "reports").glob("*.xml"))
    assert only(gate_dir.path / "reports", "*.md")


def test_reports_dir_option(gate_dir):
    run_gate(gate_dir, "--sandbox", "--reports-dir=archive/gate")
    assert only(gate_dir.path / "archive/gate", "*.md")
    assert only(gate_dir.path / "archive/gate", "*.xml")


def test_interrupted_run_still_writes_the_report(gate_dir):
    gate_dir.makeconftest(
        "def pytest_runtest_setup(item):\n"
        "    if 'test_forced_analysis' in item.nodeid:\n"
        "        raise KeyboardInterrupt\n"
    )
    # A subprocess: in-process, pytester re-raises the inner KeyboardInterrupt in this session.
    result = gate_dir.runpytest_subprocess(
        "--sandbox", "-p", "no:cacheprovider", "--sandbox-analysis-seconds=0.05"
    )
    assert result.ret == 2
    report = only(gate_dir.path / "reports", "*.md").read_text()
    assert report.splitlines()[2].startswith("**FAILED** ❌ (interrupted): ")
    (ended,) = [line for line in not_run(report) if "not run: the run ended before them (" in line]
    assert "no server errors since revision start" in ended
    assert "revision serves expected traffic" not in ended  # stage 25: run before the analysis
    assert junit_status(gate_dir.path / "reports") == "FAILED"


def test_xdist_workers_share_one_sandbox_and_only_the_controller_reports(gate_dir):
    result = gate_dir.runpytest_subprocess(
        "--sandbox",
        "-p",
        "no:cacheprovider",
        "-n",
        "2",
        "--dist",
        "loadscope",
        "--sandbox-analysis-seconds=0.05",
    )
    result.assert_outcomes(passed=42, skipped=6)
    result.stdout.fnmatch_lines(compare_skips(UNTAGGED))
    report = only(gate_dir.path / "reports", "*.md").read_text()
    assert "**PASSED** ✅: 42 passed, 0 failed, 0 errors, 6 skipped\n" in report
    assert not_run(report) == [UNTAGGED_NOT_RUN]
    assert (
        '| memory_analysis_success_total{provider="neo_analysis"} before/after | 0 -> 1 |' in report
    )
    assert len(list((gate_dir.path / "reports").glob("*.xml"))) == 1


def test_collect_only_writes_no_report(gate_dir):
    result = gate_dir.runpytest("--sandbox", "--collect-only", "-q", "-p", "no:cacheprovider")
    assert result.ret == 0
    assert not list((gate_dir.path / "reports").glob("*"))


def test_xdist_workers_take_the_contract_defaults_too(gate_dir):
    # Workers resolve their settings again: the contract's defaults must reach them, or the
    # inconclusive analysis checks would fail there instead of being skipped.
    edit_contract(gate_dir, "defaults", "inconclusive", "skip")
    result = gate_dir.runpytest_subprocess(
        "--sandbox",
        "--sandbox-fault=instance_churn",
        "-p",
        "no:cacheprovider",
        "-n",
        "2",
        "--dist",
        "loadscope",
        "--sandbox-analysis-seconds=0.05",
    )
    result.assert_outcomes(passed=40, skipped=2 + len(COMPARE))
    result.stdout.fnmatch_lines(["SKIPPED * INCONCLUSIVE: POST /api/memory/analyze answered, but*"])
    result.stdout.fnmatch_lines(compare_skips(UNTAGGED))
