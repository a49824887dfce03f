"""A scrape never trusts that it parsed."""

from __future__ import annotations

import httpx
import pytest

from cloudrun_acceptance.model.contract import MetricsRules
from cloudrun_acceptance.probe.client import ServiceClient
from cloudrun_acceptance.probe.scrape import scrape


@pytest.mark.parametrize(
    ("status", "content_type", "body", "problem"),
    [
        (404, "application/json", '{"detail":"Not Found"}', "status"),
        (200, "text/html", "<html></html>", "content_type"),
        (200, "text/plain", "<html><body>x</body></html>", "unparsable"),
        (200, "text/plain", "# Metrics disabled. Set X=true to enable.\n", "empty"),
        (200, "text/plain", "ok 1\n", "untyped"),
        (200, "text/plain; version=0.0.4", "# TYPE up gauge\nup 1\n", None),
    ],
)
def test_scrape_never_trusts_it_parsed(status, content_type, body, problem):
    client = ServiceClient(
        "http://svc",
        transport=httpx.MockTransport(
            lambda r: httpx.Response(status, text=body, headers={"Content-Type": content_type})
        ),
    )
    assert scrape(client, MetricsRules()).problem == problem


@pytest.mark.parametrize(
    ("status", "body", "problem"),
    [
        (404, "metrics are switched off\n", "disabled"),
        (200, "metrics are switched off\n", "disabled"),
        (404, "no such page\n", "status"),
    ],
)
def test_the_contracts_disabled_pattern_is_the_service_saying_metrics_are_off(
    status, body, problem
):
    client = ServiceClient(
        "http://svc",
        transport=httpx.MockTransport(
            lambda r: httpx.Response(status, text=body, headers={"Content-Type": "text/plain"})
        ),
    )
    rules = MetricsRules(disabled_pattern="switched off")
    assert scrape(client, rules).problem == problem
