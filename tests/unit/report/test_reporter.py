"""The verdict travels on the TestReport as plain values, for the reporter (and xdist); the
failure's text is the same on the xdist controller; a JUnit problem says what the file holds."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from cloudrun_acceptance.model.verdict import failed
from cloudrun_acceptance.report.reporter import failure_text, junit_problem, verdict_payload


def test_the_payload_is_json_and_keeps_what_the_report_shows():
    verdict = failed("stuck", evidence=["a: 1 -> 1"], advice="fix it.", figures={"n": "1"})
    payload = verdict_payload(verdict)
    assert json.loads(json.dumps(payload)) == {
        "status": "failed",
        "summary": "stuck",
        "evidence": ["a: 1 -> 1"],
        "advice": "fix it.",
        "figures": {"n": "1"},
    }


def test_the_failure_text_is_the_same_with_and_without_xdist():
    text = "not checked: no exposition; see test_metrics_enabled"
    worker = "[gw1] linux -- Python 3.11.7 /work/.venv/bin/python"
    assert failure_text(SimpleNamespace(longreprtext=text)) == text
    assert failure_text(SimpleNamespace(longreprtext=f"{worker}\n{text}", node=object())) == text
    # A report of this process whose failure happens to start with brackets keeps its text.
    own = "[gw1] is not a worker line\nassert 1 == 2"
    assert failure_text(SimpleNamespace(longreprtext=own, node=object())) == own


def test_a_junit_problem_says_what_the_file_holds_instead():
    problem = junit_problem(Path("reports/x.xml"), PermissionError(13, "Permission denied"))
    assert problem == (
        "could not rewrite the JUnit file reports/x.xml (Permission denied): it stays as "
        "pytest's junitxml wrote it (a failure's message cut at 500 characters, its text "
        "repeating it); the markdown report holds every failure whole"
    )
    assert "; one testsuite for every target)" in junit_problem(
        Path("x.xml"), OSError(28, "No space left on device"), several=True
    )
