"""Log records describe themselves in one line; an ingestion is complete when all were seen."""

from __future__ import annotations

from datetime import UTC, datetime

from cloudrun_acceptance.model.logs import Ingestion, LogRecord

WHEN = datetime(2026, 11, 26, 9, 0, 0, 123000, tzinfo=UTC)


def test_a_request_is_described_by_method_url_status_latency_and_trace():
    record = LogRecord(
        WHEN,
        "ERROR",
        "",
        method="POST",
        url="https://svc/api",
        status=500,
        latency="0.2s",
        trace="projects/p/traces/abc123",
    )
    assert record.describe() == (
        "2026-11-26T09:00:00.123+00:00 POST https://svc/api -> 500 in 0.2s trace=abc123"
    )


def test_a_line_is_described_by_severity_and_its_text_folded_and_bounded():
    record = LogRecord(WHEN, "INFO", "started\n  listening " + "x" * 300)
    described = record.describe()
    assert described.startswith("2026-11-26T09:00:00.123+00:00 INFO: started listening x")
    assert len(described) < 260
    assert LogRecord(None, "INFO", "t").describe() == "? INFO: t"


def test_ingestion_is_complete_when_every_request_was_seen():
    assert Ingestion(seen=3, expected=3, waited=0.5).complete
    assert not Ingestion(seen=2, expected=3, waited=0.5).complete
