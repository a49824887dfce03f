"""A rollout step's window of users' requests, from Cloud Run's request logs: both revisions
over the same window, each request's status and latency.

The gate's own requests (its User-Agent starts with ``cloudrun-acceptance``) are left out: a
step is judged on what the users' requests did.
"""

from __future__ import annotations

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


def traffic_of(revision: str, records: Sequence[LogRecord]) -> RevisionTraffic:
    """One revision's requests among ``records``."""
    mine = [record for record in records if record.revision == revision and record.status]
    latencies = [latency_seconds(record.latency) for record in mine]
    return RevisionTraffic(
        revision,
        tuple(int(record.status or 0) for record in mine),
        tuple(value for value in latencies if value is not None),
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
) -> StepWindow:
    """Both revisions' users' requests from ``start`` to ``end`` (raises LoggingApiError)."""
    listing = reader.list(window_condition((candidate, stable), start, end), any_revision=True)
    return StepWindow(
        share=share,
        start=start,
        end=end,
        candidate=traffic_of(candidate, listing.records),
        stable=traffic_of(stable, listing.records),
        holds=holds,
        pages=listing.pages,
        capped=listing.capped,
    )
