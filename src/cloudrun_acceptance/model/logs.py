"""What the gate read of a revision's logs: entries, listings, and the waits for ingestion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .errors import MonitoringApiError
from .monitoring import RevisionTally


@dataclass(frozen=True)
class LogRecord:
    """One log entry, reduced to what the checks and their messages need."""

    timestamp: datetime | None
    severity: str
    text: str
    log_name: str = ""
    method: str = ""
    url: str = ""
    status: int | None = None
    latency: str = ""
    user_agent: str = ""
    trace: str = ""
    revision: str = ""
    # Cloud Logging's id of the entry (unique per log entry).
    insert_id: str = ""

    def describe(self) -> str:
        """One line: time, severity, then the request or the text."""
        when = self.timestamp.isoformat(timespec="milliseconds") if self.timestamp else "?"
        if self.status is not None:
            trace = f" trace={self.trace.rsplit('/', 1)[-1]}" if self.trace else ""
            return (
                f"{when} {self.method} {self.url} -> {self.status} in {self.latency or '?'}{trace}"
            )
        text = " ".join(self.text.split())
        return f"{when} {self.severity}: {text[:200]}"


@dataclass(frozen=True)
class Listing:
    """The entries one filter matched (up to the cap), and how many pages that took."""

    records: tuple[LogRecord, ...]
    pages: int
    capped: bool
    filter: str


@dataclass(frozen=True)
class StartupScan:
    """Which startup lines were found, and the revision's first lines when some were not."""

    found: dict[str, LogRecord]
    missing: tuple[str, ...]
    waited: float
    polls: int
    nearby: tuple[LogRecord, ...] = ()


@dataclass(frozen=True)
class Ingestion:
    """How many of the gate's own answered requests the logs showed before the deadline, and
    those requests as logged (with the revision that served each)."""

    seen: int
    expected: int
    waited: float
    records: tuple[LogRecord, ...] = ()

    @property
    def complete(self) -> bool:
        """True when every request the gate sent is in the logs."""
        return self.seen >= self.expected


@dataclass(frozen=True)
class ServerErrors:
    """What the 5xx check reads: the revision's 5xx request entries since it started (the
    first ``logs.max_entries``, oldest first), the gate's own requests as the logs showed them,
    the project (for the command that lists them all), and, when the listing was capped, Cloud
    Monitoring's counts since the revision started, or the error that kept them from being read
    (None: not read, as when every 5xx was listed)."""

    listing: Listing
    ingestion: Ingestion
    project: str = ""
    counted: RevisionTally | MonitoringApiError | None = None


def latency_seconds(text: str) -> float | None:
    """A request log's latency (``0.012345s``, a protobuf Duration in JSON) in seconds; None
    when it is not one."""
    try:
        return float(text.removesuffix("s")) if text.endswith("s") else None
    except ValueError:
        return None
