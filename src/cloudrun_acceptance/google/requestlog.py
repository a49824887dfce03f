"""A rollout step's window of users' requests, from Cloud Run's request logs: both revisions
over the same window, each request's status and latency.

The gate's own requests (its User-Agent starts with ``cloudrun-acceptance``) are left out: a
step is judged on what the users' requests did.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

from ..model.logs import LogRecord
from ..model.rollout import RevisionTraffic, StepWindow
from .logs import LogReader, quote

GATE_AGENT = "cloudrun-acceptance"


def _stamp(when: datetime) -> str:
    return quote(when.isoformat().replace("+00:00", "Z"))


def window_condition(revisions: Sequence[str], start: datetime, end: datetime) -> str:
    """The users' requests of these revisions from ``start`` (included) to ``end``."""
    named = " OR ".join(f"resource.labels.revision_name={quote(name)}" for name in revisions)
    return (
        f"({named}) AND httpRequest.status>0 AND timestamp>={_stamp(start)} AND "
        f"timestamp<{_stamp(end)} AND NOT httpRequest.userAgent:{quote(GATE_AGENT)}"
    )


def latency_seconds(text: str) -> float | None:
    """A request log's latency (``0.012345s``, a protobuf Duration in JSON) in seconds."""
    try:
        return float(text.removesuffix("s")) if text.endswith("s") else None
    except ValueError:
        return None


def traffic_of(revision: str, records: Sequence[LogRecord], origin: datetime) -> RevisionTraffic:
    """One revision's requests among ``records``, their times in seconds from ``origin``."""
    mine = [record for record in records if record.revision == revision and record.status]
    latencies = [latency_seconds(record.latency) for record in mine]
    return RevisionTraffic(
        revision,
        tuple(int(record.status or 0) for record in mine),
        tuple(math.nan if value is None else value for value in latencies),
        tuple(
            (record.timestamp - origin).total_seconds() if record.timestamp else math.nan
            for record in mine
        ),
    )


def read_window(
    reader: LogReader,
    *,
    share: int,
    candidate: str,
    stable: str,
    start: datetime,
    end: datetime,
    holds: int = 0,
    origin: datetime | None = None,
) -> StepWindow:
    """Both revisions' users' requests from ``start`` to ``end``, their times in seconds from
    ``origin`` (the start by default; raises LoggingApiError)."""
    listing = reader.list(window_condition((candidate, stable), start, end), any_revision=True)
    return StepWindow(
        share=share,
        start=start,
        end=end,
        candidate=traffic_of(candidate, listing.records, origin or start),
        stable=traffic_of(stable, listing.records, origin or start),
        holds=holds,
        pages=listing.pages,
        capped=listing.capped,
    )
