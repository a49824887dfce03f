"""Waiting for log entries to be ingested: the startup lines, and the gate's own requests."""

from __future__ import annotations

import re
import time

from ..model.logs import Ingestion, LogRecord, StartupScan
from ..model.polling import Backoff, poll
from ..model.re2 import to_python
from .logs import LogReader, quote

LOG_BACKOFF = Backoff(first=0.25, cap=5.0)


def scan_startup_lines(
    reader: LogReader, patterns: tuple[str, ...], deadline: float
) -> StartupScan:
    """Poll the revision's logs until every pattern has a matching line, or the deadline passes."""
    started = time.monotonic()
    found: dict[str, LogRecord] = {}
    polls = 0
    for polls in poll(deadline, LOG_BACKOFF):  # noqa: B007 - the last value is reported
        wanted = [pattern for pattern in patterns if pattern not in found]
        if not wanted:
            break
        terms = [
            f"{field}=~{quote(p)}"
            for p in wanted
            for field in ("textPayload", "jsonPayload.message")
        ]
        for record in reader.list(" OR ".join(terms)).records:
            for pattern in wanted:
                if pattern not in found and re.search(to_python(pattern), record.text):
                    found[pattern] = record
        if len(found) == len(patterns):
            break
    missing = tuple(pattern for pattern in patterns if pattern not in found)
    nearby: tuple[LogRecord, ...] = ()
    if missing:
        nearby = reader.list('logName:"run.googleapis.com%2Fstd"').records
    return StartupScan(found, missing, time.monotonic() - started, polls, nearby)


def await_own_requests(
    reader: LogReader, user_agent: str, expected: int, deadline: float
) -> Ingestion:
    """Wait until the logs show the gate's own requests (ingestion lags), or the deadline."""
    started = time.monotonic()
    records: tuple[LogRecord, ...] = ()
    for _ in poll(deadline, LOG_BACKOFF):
        # Every revision's: requests answered by another one are what the identity check finds.
        condition = f"httpRequest.userAgent={quote(user_agent)}"
        records = reader.list(condition, any_revision=True).records
        if len(records) >= expected:
            break
    return Ingestion(len(records), expected, time.monotonic() - started, records)
