"""A rollout step's window of users' requests, from Cloud Run's request logs: both revisions
over the same window, each request's status and latency.

The gate's own requests (its User-Agent starts with ``cloudrun-acceptance``) are left out: a
step is judged on what the users' requests did.

A read takes at most ``rollout.max_requests`` entries. When more came than that, it takes a
uniform sample of its stretch instead of its first entries: the filter's
``sample(insertId, FRACTION)`` (the Logging query language's sample function: the same entries
at each read of the same fraction), the fraction planned from the rate the previous read saw,
so every second of a window is represented, whatever the traffic. The sample leaves the judge's
tests valid: whether an entry is in it does not depend on its revision, status or latency. (A
smaller fraction re-reading a stretch takes a sample of the sample where the hash nests, as the
sandbox's does; where it does not, the stretch gains a few more entries of the same
revision-blind draw, which changes its density, never the tests' validity.)

Cloud Logging shows an entry seconds after its request (and a slow request's later, as its
entry is written when it ends). So a read's stretch may start before the end of the last one
(``rollout.ingestion_seconds``), and a read leaves out the entries already ``seen`` (by their
insertId): what came late is judged, and nothing twice.
"""

from __future__ import annotations

import math
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from ..model.logs import LogRecord, latency_seconds
from ..model.rollout import RevisionTraffic, StepWindow
from .logs import LogReader, quote

GATE_AGENT = "cloudrun-acceptance"


def _stamp(when: datetime) -> str:
    return quote(when.isoformat().replace("+00:00", "Z"))


# A read plans for this much more traffic than the last read saw before it samples.
HEADROOM = 1.25
# The sample's fraction, rounded down to this many significant digits (a readable filter).
DIGITS = 3
# A read that reached its cap is read again with a smaller sample, planned from what it saw,
# at most this many times (then its first entries are judged, and the report says so).
RESAMPLES = 2


def window_condition(
    revisions: Sequence[str], start: datetime, end: datetime, fraction: float = 1.0
) -> str:
    """The users' requests of these revisions from ``start`` (included) to ``end``; with a
    ``fraction`` below 1, a uniform sample of them."""
    named = " OR ".join(f"resource.labels.revision_name={quote(name)}" for name in revisions)
    sample = f" AND sample(insertId, {fraction:g})" if fraction < 1 else ""
    return (
        f"({named}) AND httpRequest.status>0 AND timestamp>={_stamp(start)} AND "
        f"timestamp<{_stamp(end)} AND NOT httpRequest.userAgent:{quote(GATE_AGENT)}{sample}"
    )


def sample_fraction(rate: float | None, seconds: float, cap: int) -> float:
    """The fraction of a stretch of ``seconds`` a read takes to stay within ``cap`` entries,
    at ``rate`` entries a second (both revisions; None: unknown) and HEADROOM: 1 (every
    entry) when they fit, else rounded down to DIGITS significant digits."""
    if rate is None or rate <= 0 or seconds <= 0:
        return 1.0
    expected = rate * seconds * HEADROOM
    if expected <= cap:
        return 1.0
    fraction = cap / expected
    scale = 10.0 ** (DIGITS - 1 - math.floor(math.log10(fraction)))
    return max(math.floor(fraction * scale), 1) / scale


@dataclass(frozen=True)
class Slice:
    """One read of a stretch: its requests not seen before (``window``), and every entry it
    read, seen before or not (``read``: its key, insertId, to its time in seconds from the
    origin), from which the rate it saw and the entries to leave out of the next read."""

    window: StepWindow
    read: Mapping[str, float]

    @property
    def newest(self) -> float | None:
        """The time of the newest entry read (seconds from the origin), or None."""
        return max((t for t in self.read.values() if not math.isnan(t)), default=None)


def seen_rate(piece: Slice, begin: float, fraction: float) -> float | None:
    """The users' rate (entries a second, both revisions) that a read of ``fraction`` from
    ``begin`` (seconds from the origin of its times) saw: over the whole stretch, or, when the
    read stopped at its cap, up to its newest entry read. None when nothing was read."""
    count = len(piece.read)
    if count == 0:
        return None
    newest = piece.newest
    capped = piece.window.capped and newest is not None
    seconds = (newest or 0.0) - begin if capped else piece.window.seconds
    return count / fraction / seconds if seconds > 0 else None


def entry_key(record: LogRecord) -> str:
    """What tells one entry from another: its insertId (a request's time and trace without)."""
    return record.insert_id or f"{record.timestamp}|{record.trace}|{record.url}"


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


def read_slice(
    reader: LogReader,
    *,
    share: int,
    candidate: str,
    stable: str,
    start: datetime,
    end: datetime,
    origin: datetime | None = None,
    fraction: float = 1.0,
    seen: Container[str] = frozenset(),
) -> Slice:
    """Both revisions' users' requests from ``start`` to ``end`` (a uniform sample of them with
    ``fraction`` below 1), their times in seconds from ``origin`` (the start by default); the
    window holds those not ``seen`` before (raises LoggingApiError)."""
    condition = window_condition((candidate, stable), start, end, fraction)
    listing = reader.list(condition, any_time=True)
    base = origin or start
    read = {
        entry_key(record): (record.timestamp - base).total_seconds()
        if record.timestamp
        else math.nan
        for record in listing.records
    }
    new = [record for record in listing.records if entry_key(record) not in seen]
    window = StepWindow(
        share=share,
        start=start,
        end=end,
        candidate=traffic_of(candidate, new, base),
        stable=traffic_of(stable, new, base),
        pages=listing.pages,
        capped=listing.capped,
        fraction=fraction,
    )
    return Slice(window, read)
