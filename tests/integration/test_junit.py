"""The JUnit file as viewers show it: a failure's message attribute says what failed and what to
do, its text holds the evidence and nothing of the message again; a check's figures are
properties of one prefix, without raw arrays (the markdown report keeps those)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from tests.integration.gatekit import CACHE, ENABLED, run_gate


def cases(gate_dir) -> dict[str, ET.Element]:
    (path,) = Path(gate_dir.path, "reports").glob("*.xml")
    return {case.get("name", ""): case for case in ET.parse(path).getroot().iter("testcase")}


def test_a_failure_says_what_to_do_in_its_message_and_shows_the_evidence_once(gate_dir):
    run_gate(gate_dir, "--sandbox", "--sandbox-fault", "env_drift")
    found = cases(gate_dir)
    failure = found[ENABLED].find("failure")
    assert failure is not None
    message = failure.get("message", "")
    assert message.splitlines()[0].startswith("metrics are disabled: http://127.0.0.1:")
    assert message.splitlines()[1] == (
        "What to do: set CONCEPT_RECALL_METRICS_ENABLED=true on the revision (in env.yaml, then "
        "deploy again with --env-vars-file env.yaml); the service switches its metrics on only "
        "for the exact string 'true' (metrics.enable_value in the contract)."
    )
    text = failure.text or ""
    assert text.startswith("  GET http://127.0.0.1:")
    assert "    body: '# Metrics disabled. Set CONCEPT_RECALL_METRICS_ENABLED=true to enable.'" in (
        text
    )
    assert "metrics are disabled" not in text and "What to do" not in text
    # A check not checked: its one line is the message; no text repeats it.
    error = found["test_exposition_passes_lint"].find("error")
    assert error is not None and error.text is None
    assert "not checked: http://127.0.0.1:" in error.get("message", "")
    assert "; see test_metrics_enabled" in error.get("message", "")


def test_figures_are_prefixed_properties_without_arrays(gate_dir):
    run = run_gate(gate_dir, "--sandbox")
    found = cases(gate_dir)
    names = [p.get("name", "") for case in found.values() for p in case.iter("property")]
    assert names and all(name.startswith("cloudrun_acceptance.") for name in names)
    health = {p.get("name"): p.get("value") for p in found["test_health_answers"].iter("property")}
    assert set(health) >= {"cloudrun_acceptance.first_answer_s", "cloudrun_acceptance.attempts"}
    cache = {p.get("name"): p.get("value") for p in found[CACHE].iter("property")}
    assert "cloudrun_acceptance.budget_s" in cache
    # The samples are a list: in the run's record (and the markdown report), not in JUnit.
    assert "cloudrun_acceptance.samples_s" not in cache
    assert len(run.verdicts[CACHE]["figures"]["samples (s)"].split(", ")) == 3


def test_without_the_junitxml_plugin_the_markdown_report_alone_is_written(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "-p", "no:junitxml")
    assert run.result.ret == 0
    assert not list(Path(gate_dir.path, "reports").glob("*.xml"))
    run.result.stdout.fnmatch_lines(
        ["cloudrun-acceptance: emergence-app-00003-abc PASSED (*); reports: reports/*Z.md"]
    )


class CutsTheJunitFile:
    """Leaves the JUnit file half-written once junitxml wrote it, as a full disk would (its
    session finish runs after junitxml's and before the gate's rewrite)."""

    def __init__(self, reports: Path) -> None:
        self.reports = reports

    def pytest_sessionfinish(self) -> None:
        for path in self.reports.glob("*.xml"):
            path.write_text(path.read_text(encoding="utf-8")[:120], encoding="utf-8")


CUT = (
    "cloudrun-acceptance: could not rewrite the JUnit file */reports/*Z.xml (*: line *, column "
    "*): it stays as pytest's junitxml wrote it (a failure's message cut at 500 characters, its "
    "text repeating it); the markdown report holds every failure whole"
)


def test_a_junit_file_that_cannot_be_rewritten_is_named_above_the_verdict(gate_dir):
    cut = CutsTheJunitFile(gate_dir.path / "reports")
    run = run_gate(gate_dir, "--sandbox", plugins=[cut])
    run.result.stdout.fnmatch_lines(
        [CUT, "cloudrun-acceptance: emergence-app-00003-abc PASSED (*); reports: *Z.md"]
    )
    assert "could not rewrite" not in run.result.stderr.str()  # once, where it is read


def test_without_a_terminal_the_problem_goes_to_stderr(gate_dir):
    ini = gate_dir.path / "pytest.ini"
    ini.write_text(ini.read_text().replace("addopts = -ra ", "addopts = "))  # -r is the terminal's
    cut = CutsTheJunitFile(gate_dir.path / "reports")
    run = run_gate(gate_dir, "--sandbox", "-p", "no:terminal", plugins=[cut])
    run.result.stderr.fnmatch_lines([CUT])
