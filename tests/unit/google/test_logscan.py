"""Waiting for ingestion: found lines end the wait; missing ones are polled for until the deadline.

The reader here is a stand-in that serves entries as they are "ingested"; the real client against
the sandbox's Logging API is in tests/integration/test_log_reader.py.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from cloudrun_acceptance.google.logscan import await_own_requests, scan_startup_lines
from cloudrun_acceptance.model.logs import Listing, LogRecord

WHEN = datetime(2026, 11, 26, tzinfo=UTC)


class Ingesting:
    """Entries become visible ``lag`` seconds after the reader was made; records every query."""

    def __init__(self, records: list[LogRecord], lag: float = 0.0) -> None:
        self.records = records
        self.visible_at = time.monotonic() + lag
        self.queries: list[str] = []

    def list(self, condition: str = "", *, any_revision: bool = False) -> Listing:
        self.queries.append(condition)
        shown = tuple(self.records) if time.monotonic() >= self.visible_at else ()
        return Listing(shown, 1, False, condition)


def test_lines_found_after_the_lag_end_the_scan():
    reader = Ingesting([LogRecord(WHEN, "INFO", "[Metrics] 13 metrics registered")], lag=0.3)
    scan = scan_startup_lines(reader, (r"\[Metrics\] 13 metrics",), time.monotonic() + 5)  # type: ignore[arg-type]
    assert not scan.missing and scan.polls >= 2
    assert 'textPayload=~"\\\\[Metrics\\\\] 13 metrics"' in reader.queries[0]


def test_a_missing_line_is_polled_for_until_the_deadline_then_nearby_lines_are_read():
    reader = Ingesting([LogRecord(WHEN, "INFO", "Application startup complete.")])
    scan = scan_startup_lines(reader, ("never logged",), time.monotonic() + 0.4)  # type: ignore[arg-type]
    assert scan.missing == ("never logged",)
    assert scan.polls >= 2  # polled again until the deadline
    assert [record.text for record in scan.nearby] == ["Application startup complete."]


def test_own_requests_are_counted_until_all_are_in():
    requests = [LogRecord(WHEN, "INFO", "", status=200, user_agent="gate") for _ in range(3)]
    ingestion = await_own_requests(Ingesting(requests, lag=0.2), "gate", 3, time.monotonic() + 5)  # type: ignore[arg-type]
    assert ingestion.complete and ingestion.seen == 3
    partial = await_own_requests(Ingesting(requests[:1]), "gate", 3, time.monotonic() + 0.3)  # type: ignore[arg-type]
    assert (partial.seen, partial.complete) == (1, False)
