"""The health judgement: the contract's status and body (JSON by default), after the cold start."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.checks.health import judge_health
from cloudrun_acceptance.model.contract import HealthRules
from cloudrun_acceptance.model.exchange import Exchange, Permanent, Readiness

JSON = HealthRules("/api/health")


def ready(
    status: int, body: str = "{}", waited: float = 0.5, content_type: str = "application/json"
) -> Readiness:
    return Readiness(
        True,
        waited,
        2,
        Exchange(
            "GET", "http://svc/api/health", status, "X", content_type, body=body, elapsed=0.01
        ),
        60,
    )


def test_health_passes_on_json_and_reports_the_wait():
    verdict = judge_health(readiness=ready(200), rules=JSON)
    assert verdict.status == "passed"
    assert verdict.figures["first answer (s)"] == "0.50"


def test_health_fails_on_non_json_200():
    verdict = judge_health(readiness=ready(200, "<html>"), rules=JSON)
    assert verdict.status == "failed"
    assert verdict.summary == "health answered 200 but the body is not JSON"


def test_health_fails_on_404_with_the_path_hint():
    verdict = judge_health(readiness=ready(404), rules=JSON)
    assert verdict.summary == "health answered 404, expected 200 with JSON"
    assert "health.path in the contract" in verdict.advice


TEXT_OK = HealthRules("/healthz", content_type="text/plain", body_pattern="^ok$")


@pytest.mark.parametrize(
    ("rules", "answer", "summary"),
    [
        (TEXT_OK, ready(200, "ok\n", content_type="text/plain; charset=utf-8"), None),
        (
            TEXT_OK,
            ready(200, "degraded\n", content_type="text/plain"),
            "health answered 200 but the body does not match '^ok$'",
        ),
        (
            TEXT_OK,
            ready(200, "ok", content_type="text/html"),
            "health answered 200 but its content type is text/html, not text/plain",
        ),
        (HealthRules("/h", status=204, body_pattern="^$"), ready(204, "", content_type=""), None),
        (
            HealthRules("/h", json_keys=("status", "version")),
            ready(200, '{"status": "up"}'),
            "health answered 200 but the JSON body lacks version",
        ),
        (
            HealthRules("/h", json_keys=("status",)),
            ready(200, '["status"]'),
            "health answered 200 but the JSON body lacks status",
        ),
        (
            HealthRules("/h", status=204, body_pattern="^$"),
            ready(200, ""),
            "health answered 200, expected 204 matching '^$'",
        ),
    ],
    ids=["text-ok", "text-other", "content-type", "204-empty", "json-key", "json-list", "status"],
)
def test_health_judges_the_contracts_expectations(rules, answer, summary):
    verdict = judge_health(readiness=answer, rules=rules)
    if summary is None:
        assert verdict.status == "passed", verdict.message
        assert verdict.summary.startswith(f"health answered {rules.describe()} in 0.010 s")
    else:
        assert (verdict.status, verdict.summary) == ("failed", summary)


def test_a_permanent_cause_fails_with_its_evidence_and_advice_not_the_timeout_advice():
    gone = Permanent(
        "your service, started with `python crash.py` (x), exited with code 3",
        ("stderr (1 line):", "  | boom: no such file or directory"),
        "fix what its output names",
    )
    last = Exchange("GET", "http://svc/api/health", error="not sent")
    verdict = judge_health(readiness=Readiness(False, 0.0, 0, last, 30, gone), rules=JSON)
    assert verdict.status == "failed"
    assert verdict.message == (
        "the service cannot answer http://svc/api/health: your service, started with `python "
        "crash.py` (x), exited with code 3\n"
        "  stderr (1 line):\n"
        "    | boom: no such file or directory\n"
        "  the gate stopped waiting at once, not at the 30 s ready timeout: waiting does not "
        "change this\n"
        "What to do: fix what its output names"
    )
