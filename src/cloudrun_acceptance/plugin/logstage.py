"""The logs stage, started while the service works on the forced analysis.

The analysis wait is spent on a socket, so the Logging client's import, its credentials and
the scan for the startup lines (one Logging API round trip or more) run beside it, in one
thread; the logs checks take the reader and the scan from here, after that thread is done, so
the reader is never used by two threads at once. Without a forced analysis (no test session,
or the analysis deselected) the stage runs when the first logs check asks for it.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ..google.logs import LogReader
from ..google.logscan import scan_startup_lines
from ..model.contract import Contract
from ..model.errors import LoggingApiError
from ..model.logs import StartupScan
from ..model.service import ServiceFacts
from ..model.target import Target


@dataclass
class LogsStage:
    """The revision's log reader, its one --logs-timeout deadline, and the startup scan."""

    reader: LogReader
    deadline: float
    startup_lines: tuple[str, ...]
    _scan: Future[StartupScan | LoggingApiError] | None = field(default=None, repr=False)

    def start(self) -> None:
        """Connect and scan for the startup lines in a thread of its own (once)."""
        if self._scan is not None:
            return
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cloudrun-logs")
        self._scan = executor.submit(self._run_scan)
        executor.shutdown(wait=False)

    def _run_scan(self) -> StartupScan | LoggingApiError:
        try:
            self.reader.connect()
            return scan_startup_lines(self.reader, self.startup_lines, self.deadline)
        except LoggingApiError as err:
            return err

    def startup_scan(self) -> StartupScan | LoggingApiError:
        """The startup lines found (or the Logging API's refusal), waiting for the scan."""
        self.start()
        assert self._scan is not None
        return self._scan.result()

    def joined_reader(self) -> LogReader:
        """The reader, once the scan's thread no longer uses it."""
        self.startup_scan()
        return self.reader


def logs_stage(
    target: Target, facts: ServiceFacts, contract: Contract, timeout: float
) -> LogsStage:
    """The stage of the revision under check; its deadline starts now."""
    revision = facts.revision
    since = revision.created or datetime.now(UTC) - timedelta(days=1)
    reader = LogReader(
        facts.ref,
        revision.name,
        since,
        endpoint=target.logging_endpoint,
        max_entries=contract.logs.max_entries,
    )
    return LogsStage(reader, time.monotonic() + timeout, contract.logs.startup_lines)
