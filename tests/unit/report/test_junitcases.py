"""A failure's JUnit message says what failed and what to do; its text holds the evidence."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cloudrun_acceptance.model.verdict import failed
from cloudrun_acceptance.report.junitcases import failure_parts, rewrite_failures

VERDICT = failed(
    "metrics are disabled",
    evidence=["GET /api/metrics -> 200", "body:\n'# disabled'"],
    advice="set METRICS=true.",
)
# As pytest's junitxml writes it: the message attribute cut to whole lines, the text whole.
PYTEST_WROTE = f"""<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="gate">
<testcase name="test_metrics_enabled"><failure message="Failed: metrics are disabled
  GET /api/metrics -> 200
[+3 more lines; full report in element text]">{VERDICT.message}</failure></testcase>
<testcase name="test_lint"><error message="failed on setup with &quot;Failed: not checked: no \
exposition; see test_metrics_enabled&quot;">not checked: no exposition; see test_metrics_enabled\
</error></testcase>
<testcase name="test_own"><failure message="assert 200 == 418">def test_own():
&gt;   assert 200 == 418</failure></testcase>
</testsuite></testsuites>
"""


def test_the_message_is_the_summary_and_what_to_do_and_the_text_the_evidence():
    assert failure_parts(VERDICT.summary, VERDICT.evidence, VERDICT.advice) == (
        "metrics are disabled\nWhat to do: set METRICS=true.",
        "  GET /api/metrics -> 200\n  body:\n  '# disabled'",
    )
    assert failure_parts("no advice", [], "") == ("no advice", "")


def test_the_file_is_rewritten_for_known_failures_and_one_line_errors_only(tmp_path):
    path = tmp_path / "gate.xml"
    path.write_text(PYTEST_WROTE)
    parts = failure_parts(VERDICT.summary, VERDICT.evidence, VERDICT.advice)
    rewrite_failures(path, {VERDICT.message: parts})
    cases = {case.get("name"): case for case in ET.parse(path).getroot().iter("testcase")}
    failure = cases["test_metrics_enabled"].find("failure")
    assert failure is not None
    assert (failure.get("message"), failure.text) == parts
    error = cases["test_lint"].find("error")
    assert error is not None and error.text is None
    assert "not checked: no exposition" in error.get("message", "")
    # A plain assert (a team's own check) keeps pytest's message and traceback.
    own = cases["test_own"].find("failure")
    assert own is not None and own.text == "def test_own():\n>   assert 200 == 418"
