"""The verdict travels on the TestReport as plain values, for the reporter (and xdist)."""

from __future__ import annotations

import json

from cloudrun_acceptance.model.verdict import failed
from cloudrun_acceptance.report.reporter import verdict_payload


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
