"""What init reads of a live service: its families as a contract names them, and its health."""

from __future__ import annotations

import pytest
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from cloudrun_acceptance.model.contract import ExpectedMetric
from cloudrun_acceptance.model.exchange import Exchange
from cloudrun_acceptance.scaffold.families import FamiliesSeen
from cloudrun_acceptance.scaffold.read import HealthSeen, MetricsSeen, read_url


def test_families_are_named_as_a_contract_spells_them_with_their_labels(serve, registry):
    url = serve(
        lambda method, path: (
            (200, {"Content-Type": "text/plain"}, b"ok\n")
            if path == "/healthz"
            else (200, {"Content-Type": CONTENT_TYPE_LATEST}, generate_latest(registry))
        )
    )
    pauses: list[float] = []
    health, metrics = read_url(
        url, health_path="/healthz", metrics_path="/metrics", sleep=pauses.append
    )
    assert pauses == [5.0]  # then the second scrape, which saw the same families
    assert metrics.rescraped_after == 5.0
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
    health, metrics = read_url(url, health_path=None, metrics_path="/metrics", rescrape_after=0)
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


def test_a_second_scrape_shows_what_appeared_late_and_a_failed_one_says_so(serve):
    late = "# TYPE late_total counter\nlate_total 1\n"
    bodies = [
        (200, "# TYPE jobs_total counter\njobs_total 1\n"),
        (200, f"# TYPE jobs_total counter\njobs_total 2\n{late}"),
        (200, "# TYPE jobs_total counter\njobs_total 3\n"),
        (500, "oops"),
    ]

    def answer(method, path):
        status, body = bodies.pop(0)
        return status, {"Content-Type": "text/plain; version=0.0.4"}, body.encode()

    url = serve(answer)
    _, metrics = read_url(url, health_path=None, metrics_path="/metrics", sleep=lambda _: None)
    assert (metrics.expected, metrics.families.late) == (
        (ExpectedMetric("jobs_total", "counter"),),
        (ExpectedMetric("late_total", "counter"),),
    )
    assert metrics.describe() == (
        "1 metric families at /metrics (and 1 that appeared late, commented out), scraped twice "
        "5 s apart"
    )
    _, metrics = read_url(url, health_path=None, metrics_path="/metrics", sleep=lambda _: None)
    assert metrics.expected == (ExpectedMetric("jobs_total", "counter"),)
    assert metrics.describe().startswith(
        "1 metric families at /metrics, scraped once (the second scrape failed: status 500: GET "
    )


def test_an_instance_up_for_long_gets_a_note_a_fresh_one_none():
    up = MetricsSeen("/metrics", "u", FamiliesSeen(uptime=11_520))
    assert up.warm_note() == [
        "note  the instance read had been up 3 h 12 min: a fresh one may lack a family the draft "
        "requires; pytest --sandbox starts the service afresh and names each (comment it out)"
    ]
    assert MetricsSeen("/metrics", "u", FamiliesSeen(uptime=30)).warm_note() == []
    assert MetricsSeen("/metrics", "u").warm_note() == []  # no process_start_time_seconds
