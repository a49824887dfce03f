"""What init reads of a live service: its families as a contract names them, and its health."""

from __future__ import annotations

import pytest
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from cloudrun_acceptance.model.contract import ExpectedMetric
from cloudrun_acceptance.model.exchange import Exchange
from cloudrun_acceptance.scaffold.read import HealthSeen, read_url


def test_families_are_named_as_a_contract_spells_them_with_their_labels(serve, registry):
    url = serve(
        lambda method, path: (
            (200, {"Content-Type": "text/plain"}, b"ok\n")
            if path == "/healthz"
            else (200, {"Content-Type": CONTENT_TYPE_LATEST}, generate_latest(registry))
        )
    )
    health, metrics = read_url(url, health_path="/healthz", metrics_path="/metrics")
    assert health == HealthSeen("/healthz", 200, "text/plain", "^ok$")
    assert metrics.problem == ""
    assert metrics.expected == (
        # never touched: a # TYPE line and no samples, so no label names to read
        ExpectedMetric("analysis_failures_total", "counter"),
        ExpectedMetric("analysis_success_total", "counter", ("provider",)),
        ExpectedMetric("cache_size", "gauge"),
        ExpectedMetric("duration_seconds", "histogram"),
    )
    assert metrics.runtime == (ExpectedMetric("process_start_time_seconds", "gauge"),)


def test_an_endpoint_that_is_no_exposition_says_why(serve):
    url = serve(lambda method, path: (404, {"Content-Type": "application/json"}, b"{}"))
    health, metrics = read_url(url, health_path=None, metrics_path="/metrics")
    assert health is None
    assert metrics.expected == ()
    assert metrics.problem.startswith("status 404: GET http://127.0.0.1:")


@pytest.mark.parametrize(
    ("status", "content_type", "body", "seen"),
    [
        (200, "application/json", '{"status": "up"}', HealthSeen("/h", 200, "")),
        (
            200,
            "text/plain; charset=utf-8",
            "OK (v1.2)\n",
            HealthSeen("/h", 200, "text/plain", r"^OK\ \(v1\.2\)$"),
        ),
        (204, "", "", HealthSeen("/h", 204, "", "^$")),
        (200, "text/html", "<html>" + "x" * 100, HealthSeen("/h", 200, "text/html", r"\S")),
    ],
    ids=["json", "short-text", "empty", "long-text"],
)
def test_a_health_answer_gives_its_expectations(status, content_type, body, seen):
    answer = Exchange("GET", "http://svc/h", status, content_type=content_type, body=body)
    assert HealthSeen.of("/h", answer) == seen
