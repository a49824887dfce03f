"""The logs stage, started while the service works on the forced analysis.

The analysis wait is spent on a socket, so the Logging client's import, its credentials and
the scan for the startup lines (one Logging API round trip or more) run beside it, in one
thread; the logs checks take the reader and the scan from here, after that thread is done, so
the reader is never used by two threads at once. Without a forced analysis (no test session,
or the analysis deselected) the stage runs when the first logs check asks for it.

The 5xx check reads Cloud Monitoring too, in the main thread and only when the logs held more
5xx than the listing takes (``logs.max_entries``): then Cloud Run's request_count of the
revision since it started counts them all, and every request, for a rate. A listing that took
every 5xx is exact and newer than Monitoring's samples (a minute each, shown up to 180 s
late), so it is not read then: no call, no role, no googleapiclient import.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ..google.logs import LogReader
from ..google.logscan import scan_startup_lines
from ..google.monitoring import MetricsReader
from ..google.quota import ReadPacer
from ..model.contract import Contract
from ..model.errors import LoggingApiError, MonitoringApiError
from ..model.logs import Ingestion, Listing, ServerErrors, StartupScan
from ..model.monitoring import RevisionTally
from ..model.service import ServiceFacts
from ..model.target import Target


@dataclass
class LogsStage:
    """The revision's log reader, its one --logs-timeout deadline, and the startup scan; the
    revision's Monitoring reader, and the time it started, for the 5xx check's counts."""

    reader: LogReader
    deadline: float
    startup_lines: tuple[str, ...]
    metrics: MetricsReader | None = None
    revision: str = ""
    since: datetime | None = None
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

    def server_errors(self, listing: Listing, ingestion: Ingestion) -> ServerErrors:
        """The 5xx listing, with Cloud Monitoring's counts since the revision started when the
        listing was capped (or the error that kept them from being read)."""
        counted = self.counts_since_start() if listing.capped else None
        return ServerErrors(listing, ingestion, self.reader.ref.project, counted)

    def counts_since_start(self) -> RevisionTally | MonitoringApiError | None:
        """Cloud Monitoring's counts of the revision's requests from its start to now (one read;
        None without a Monitoring reader)."""
        if self.metrics is None or self.since is None:
            return None
        try:
            return self.metrics.revision_counts(self.revision, self.since, datetime.now(UTC))
        except MonitoringApiError as err:
            return err


def logs_stage(
    target: Target,
    facts: ServiceFacts,
    contract: Contract,
    timeout: float,
    pacer: ReadPacer | None = None,
) -> LogsStage:
    """The stage of the revision under check, its reads within the project's read quota
    (``pacer``); its deadline starts now."""
    revision = facts.revision
    since = revision.created or datetime.now(UTC) - timedelta(days=1)
    reader = LogReader(
        facts.ref,
        revision.name,
        since,
        endpoint=target.logging_endpoint,
        max_entries=contract.logs.max_entries,
        pacer=pacer,
    )
    metrics = MetricsReader(facts.ref, endpoint=target.monitoring_endpoint)
    return LogsStage(
        reader,
        time.monotonic() + timeout,
        contract.logs.startup_lines,
        metrics=metrics,
        revision=revision.name,
        since=since,
    )
