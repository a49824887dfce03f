"""The gate's Cloud Monitoring reader, google-api-python-client's discovery client over REST,
against the sandbox's Monitoring API: Cloud Run's request counts of a stretch, and what it
refuses, as the gate's errors."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from cloudrun_acceptance.google.monitoring import MetricsReader
from cloudrun_acceptance.model.errors import MonitoringApiError
from cloudrun_acceptance.model.service import ServiceRef


def reader(sandbox, endpoint=None) -> MetricsReader:
    d = sandbox.deployment
    return MetricsReader(
        ServiceRef(d.project, d.region, d.service), endpoint=endpoint or sandbox.monitoring_endpoint
    )


def logged(sandbox, revision: str, start: datetime, end: datetime) -> tuple[int, int]:
    """The revision's requests (and 5xx) in the log whose 1-s sample ended in (start, end]."""
    total = errors = 0
    for entry in sandbox.log.snapshot():
        request = entry.get("httpRequest")
        if not request or entry["resource"]["labels"]["revision_name"] != revision:
            continue
        when = datetime.fromisoformat(entry["timestamp"].replace("Z", "+00:00"))
        ended = when.replace(microsecond=0) + timedelta(seconds=1)
        if start < ended <= end:
            total += 1
            errors += request["status"] >= 500
    return total, errors


def test_the_counts_are_the_requests_of_the_whole_samples_in_the_stretch(sandbox_with):
    sandbox = sandbox_with("rollout_candidate", user_rps=40.0)
    stable = sandbox.deployment.previous_revision
    start = datetime.now(UTC).replace(microsecond=0)
    time.sleep(2.5)
    end = datetime.now(UTC).replace(microsecond=0)
    time.sleep(1.2)  # the last sample has ended: visible (the sandbox's delay is 0)
    counts = reader(sandbox).request_counts((sandbox.deployment.revision, stable), start, end)
    assert counts.calls == 1
    assert (counts.of(stable).requests, counts.of(stable).errors) == logged(
        sandbox, stable, start, end
    )
    assert counts.of(stable).requests >= 40
    assert counts.start is not None and counts.end == end
    # The latencies of the same minutes: one more call, a histogram per revision whose count is
    # the revision's requests counted, in the buckets the API declared.
    revisions = (sandbox.deployment.revision, stable)
    both = reader(sandbox).with_latencies(counts, revisions)
    assert both.calls == 2
    histogram = both.latency_of(stable)
    assert histogram is not None
    assert histogram.total == both.of(stable).requests
    median = histogram.quantile(0.5)
    assert median is not None and median[0] < median[1] < 1000  # the users' reads take ms


def test_a_denied_read_names_the_role_and_a_bad_one_the_request(sandbox_with):
    denied = sandbox_with(monitoring_api_status=403)
    now = datetime.now(UTC)
    with pytest.raises(MonitoringApiError) as refused:
        reader(denied).request_counts(("r",), now - timedelta(seconds=60), now)
    assert refused.value.status == 403
    assert "monitoring.timeSeries.list" in refused.value.summary
    assert "roles/monitoring.viewer" in refused.value.advice


def test_an_endpoint_that_refuses_connections_is_an_error_not_a_hang(sandbox_with):
    import socket

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    sandbox = sandbox_with()
    now = datetime.now(UTC)
    with pytest.raises(MonitoringApiError) as refused:
        reader(sandbox, f"http://127.0.0.1:{port}").request_counts(("r",), now, now)
    assert "could not be reached" in refused.value.summary
    assert "--monitoring-endpoint (MONITORING_API_ENDPOINT)" in refused.value.advice
