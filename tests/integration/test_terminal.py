"""The terminal of a failing run ends with what matters: the causes, the traffic command and the
verdict with the report's path, once each; `pytest --help` groups the gate's options and names
its ini keys with their prefix; a bare ini name still works, with a deprecation warning."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.config.options import GROUPS, OPTIONS
from tests.integration.gatekit import ENABLED, run_gate

NOT_CHECKED = (
    "cloudrun-acceptance: 17 checks not checked: http://127.0.0.1:*/api/metrics gave no usable "
    "exposition (no metric family); see test_metrics_enabled"
)
ENDING = [
    NOT_CHECKED,
    "cloudrun-acceptance: traffic: emergence-app-00003-abc failed the gate and serves 100% of "
    "traffic; --rollback-on-failure was not given, so nothing was changed",
    "cloudrun-acceptance: by hand: gcloud run services update-traffic emergence-app "
    "--to-revisions emergence-app-00001-xyz=100 --region europe-west1 --project sandbox-project",
    "cloudrun-acceptance: emergence-app-00003-abc FAILED (21 passed, 4 failed, 17 errors, "
    "6 skipped); reports: reports/emergence-app-00003-abc-*Z.md",
    "*= 4 failed, 21 passed, 6 skipped, 17 errors in *",
]
# The markdown report's "What failed" headings, and its one line for the 17 checks not run.
HEADINGS = [
    "### ❌ failed: metrics enabled",
    "### ❌ failed: revision env var matches env file · CONCEPT_RECALL_METRICS_ENABLED",
    "### ❌ failed: startup line is logged · [Metrics] Prometheus endpoint exposed at /api/metrics",
    "### ❌ failed: startup line is logged · [Metrics] 13 metrics registered",
]
DEPENDENTS = "- 17 checks not run because ❌ metrics enabled failed: http://127.0.0.1:"
ROOT_CAUSES = [
    f"FAILED *::{ENABLED}*",
    "FAILED *::test_revision_env_var_matches_env_file[[]CONCEPT_RECALL_METRICS_ENABLED[]]*",
    "FAILED *::test_startup_line_is_logged[[][[]Metrics[]] Prometheus endpoint exposed at *",
    "FAILED *::test_startup_line_is_logged[[][[]Metrics[]] 13 metrics registered[]]*",
]


def test_a_failing_run_ends_with_the_causes_the_traffic_command_and_the_verdict(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "env_drift")
    # The 17 checks that needed the exposition still count as errors, and fail the run.
    assert run.result.ret == pytest.ExitCode.TESTS_FAILED
    run.result.assert_outcomes(passed=21, failed=4, errors=17, skipped=6)
    lines = run.result.stdout.lines
    run.result.stdout.fnmatch_lines(["*= short test summary info =*", *ROOT_CAUSES, *ENDING])
    # Nothing after them but pytest's count line.
    start = NOT_CHECKED.split("*", maxsplit=1)[0]
    (first,) = [i for i, line in enumerate(lines) if line.startswith(start)]
    assert len(lines) - first == len(ENDING)
    text = run.result.stdout.str()
    # No block, and no summary line, per dependent check: the cause once.
    assert "ERROR at setup" not in text and "= ERRORS =" not in text
    assert not [line for line in lines if line.startswith("ERROR ")]
    assert text.count("gave no usable exposition") == 1
    # Each report's path once: pytest's line names the JUnit file, the verdict the markdown.
    assert text.count(".xml") == 1 and text.count(".md") == 1
    assert text.index(f"{ENABLED} _") < text.index("= short test summary info =")
    (report,) = (gate_dir.path / "reports").glob("*.md")
    assert what_failed(report.read_text(encoding="utf-8")) == HEADINGS


def what_failed(report: str) -> list[str]:
    """The headings of the report's "What failed" section, and its "Not run" line for the
    checks that needed the exposition."""
    section = report.split("\n## What failed\n", 1)[1].split("\n## Not run\n", 1)[0]
    headings = [line for line in section.splitlines() if line.startswith("#")]
    assert [line for line in report.splitlines() if line.startswith(DEPENDENTS)]
    return headings


class CountsErrors:
    """Another plugin's terminal summary, reading the reporter's errors."""

    def pytest_terminal_summary(self, terminalreporter):
        errors = len(terminalreporter.stats.get("error", []))
        terminalreporter.write_line(f"another plugin sees {errors} errors")


def test_another_plugins_summary_sees_every_error(gate_dir):
    """The dependent errors are held back from pytest's ERRORS section and short summary only."""
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "env_drift", plugins=[CountsErrors()])
    run.result.stdout.fnmatch_lines(
        ["another plugin sees 17 errors", "*= short test summary info =*", *ROOT_CAUSES, *ENDING]
    )
    assert "= ERRORS =" not in run.result.stdout.str()


def test_with_ci_set_the_short_summary_lists_the_root_causes_in_full(gate_dir, monkeypatch):
    """pytest prints the short summary's lines whole when CI is set: the root causes' messages,
    and no line per dependent check."""
    monkeypatch.setenv("CI", "true")
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "env_drift")
    run.result.stdout.fnmatch_lines(
        [
            "*= short test summary info =*",
            f"FAILED *::{ENABLED} - Failed: metrics are disabled: http://127.0.0.1:*/api/metrics "
            "answered 200 with no metric family*",
            *ROOT_CAUSES[1:],
            *ENDING,
        ]
    )
    assert "ERROR *" not in run.result.stdout.str()


def test_help_has_a_section_per_group_and_prefixed_ini_keys(gate_dir):
    result = gate_dir.runpytest("--help")
    assert result.ret == 0
    result.stdout.fnmatch_lines([f"{title}:" for title in GROUPS.values()])
    result.stdout.fnmatch_lines(
        [
            "  --service-url=URL *",
            "Cloud Run acceptance gate: the embedded sandbox deployment:",
            "  --sandbox *",
            "  --sandbox-fault=NAME *",
        ]
    )
    text = result.stdout.str()
    keys = {
        line.split()[0] for line in result.stdout.lines if line.startswith("  ") and "):" in line
    }
    for spec in OPTIONS:
        if spec.ini:
            assert f"  {spec.ini_key} ({spec.ini_type}):" in text, spec.ini_key
            assert spec.ini_key.startswith("cloudrun_")
        if spec.old_ini_key:
            assert spec.old_ini_key not in keys
    assert "  cloudrun_promote (bool):" in text and "  cloudrun_project (string):" in text


def test_a_bare_ini_name_works_and_warns_with_the_new_name(gate_dir):
    ini = gate_dir.path / "pytest.ini"
    ini.write_text(ini.read_text() + "service_url = https://from-ini.example.com\n")
    result = gate_dir.runpytest("--collect-only", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(
        [
            "cloudrun-acceptance *: https://from-ini.example.com (from service_url (in "
            "pytest.ini))",
            "*= warnings summary =*",
            "*DeprecationWarning: the ini key service_url in */pytest.ini is the deprecated name "
            "of cloudrun_service_url; rename it cloudrun_service_url (cloudrun-acceptance upgrade "
            "renames it): the bare names go in cloudrun-acceptance 0.3.0",
        ]
    )
    assert result.ret == pytest.ExitCode.OK


def test_a_flag_in_the_ini_file_is_a_bool(gate_dir):
    ini = gate_dir.path / "pytest.ini"
    ini.write_text(ini.read_text() + "cloudrun_promote = maybe\n")
    result = gate_dir.runpytest("--collect-only", "--sandbox", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: cloudrun_promote in */pytest.ini is not a flag value (invalid truth value "
            "'maybe'); write cloudrun_promote = true, or false"
        ]
    )


def test_under_xdist_the_controller_collapses_the_workers_errors_too(gate_dir, monkeypatch):
    """A worker's report prints with its worker's line ("[gw0] linux -- Python ..."): the
    failure itself still says "not checked", and is collapsed, JUnit's text is the failure's,
    and the markdown report (and the step summary) has the causes a run without -n has."""
    summary = gate_dir.path / "step-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = gate_dir.runpytest_subprocess(
        *("--sandbox", "--sandbox-fault=env_drift", "-p", "no:cacheprovider", "-n", "2"),
        "--sandbox-analysis-seconds=0.05",
    )
    result.assert_outcomes(passed=21, failed=4, errors=17, skipped=6)
    for cause in ROOT_CAUSES:  # in the order the workers finished them
        result.stdout.fnmatch_lines(["*= short test summary info =*", cause, *ENDING])
    assert "ERROR at setup" not in result.stdout.str()
    (junit,) = (gate_dir.path / "reports").glob("*.xml")
    assert "[gw" not in junit.read_text()
    assert "What to do: set CONCEPT_RECALL_METRICS_ENABLED=true" in junit.read_text()
    # The workers finish the checks in their own order: the causes are the same.
    (report,) = (gate_dir.path / "reports").glob("*.md")
    for text in (report.read_text(encoding="utf-8"), summary.read_text(encoding="utf-8")):
        assert sorted(what_failed(text)) == sorted(HEADINGS)
        assert "[gw" not in text
