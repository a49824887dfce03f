"""The health judgement: 200 and JSON, after the cold start."""

from __future__ import annotations

from cloudrun_acceptance.checks.health import judge_health
from cloudrun_acceptance.model.exchange import Exchange, Readiness


def ready(status: int, body: str = "{}", waited: float = 0.5) -> Readiness:
    return Readiness(
        True,
        waited,
        2,
        Exchange(
            "GET", "http://svc/api/health", status, "X", "application/json", body=body, elapsed=0.01
        ),
        60,
    )


def test_health_passes_on_json_and_reports_the_wait():
    verdict = judge_health(ready(200))
    assert verdict.status == "passed"
    assert verdict.figures["first answer (s)"] == "0.50"


def test_health_fails_on_non_json_200():
    verdict = judge_health(ready(200, "<html>"))
    assert verdict.status == "failed"
    assert verdict.summary == "health answered 200 but the body is not JSON"


def test_health_fails_on_404_with_the_path_hint():
    verdict = judge_health(ready(404))
    assert verdict.summary == "health answered 404, expected 200 with JSON"
    assert "health.path in the contract" in verdict.advice
