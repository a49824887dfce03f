"""Prometheus' vocabulary is prometheus_client's own: every type, and its name rule."""

from __future__ import annotations

import pytest
from prometheus_client.metrics_core import METRIC_TYPES as CLIENT_TYPES

from cloudrun_acceptance.metrics.names import METRIC_TYPES, is_metric_name


def test_every_type_prometheus_client_knows_is_accepted():
    assert set(METRIC_TYPES) == set(CLIENT_TYPES)
    assert "gaugehistogram" in METRIC_TYPES


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("http_requests_total", True),
        ("job:rate5m", True),
        ("_x", True),
        ("5xx", False),
        ("a-b", False),
        ("", False),
    ],
)
def test_metric_names(name, valid):
    assert is_metric_name(name) is valid
