"""What the gate read of a revision's logs: entries, listings, and the waits for ingestion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
