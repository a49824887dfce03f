"""Cloud Logging, through the real google-cloud-logging client: the revision's entries.

REST only (``_use_grpc=False``). The client is given its own HTTP session, whose transport
applies the gate's timeout and counts the pages read. An http://
endpoint (the sandbox, an emulator) gets anonymous credentials, anything else Application Default
Credentials. Every filter names a ``timestamp`` bound, so the client adds none of its own.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .apierrors import LoggingApiError, api_message, is_local, unreachable
from .settings import ServiceRef

API_TIMEOUT = 10.0
VIEWER_ROLE = "roles/logging.viewer"
READ_SCOPE = "https://www.googleapis.com/auth/logging.read"


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


def quote(value: str) -> str:
    """A string literal of the Logging filter language."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def revision_filter(ref: ServiceRef, revision: str, since: datetime) -> str:
    """The revision's entries since it was created."""
    return " AND ".join(
        [
            'resource.type="cloud_run_revision"',
            f"resource.labels.service_name={quote(ref.service)}",
            f"resource.labels.revision_name={quote(revision)}",
            f"timestamp>={quote(since.isoformat().replace('+00:00', 'Z'))}",
        ]
    )


class LogReader:
    """Lists a revision's entries; one client, created on first use."""

    def __init__(
        self,
        ref: ServiceRef,
        revision: str,
        since: datetime,
        *,
        endpoint: str | None,
        max_entries: int,
        timeout: float = API_TIMEOUT,
    ) -> None:
        self.ref = ref
        self.base = revision_filter(ref, revision, since)
        self.endpoint = endpoint or "logging.googleapis.com"
        self._endpoint = endpoint
        self.max_entries = max_entries
        self.timeout = timeout
        self._client: Any = None
        self._pages: Any = None

    def list(self, condition: str = "", *, newest_first: bool = False) -> Listing:
        """Entries of the revision matching ``condition``, oldest first, up to the cap."""
        import google.cloud.logging

        text = f"{self.base} AND ({condition})" if condition else self.base
        client = self._connect()
        pages_before = self._pages.count
        records: list[LogRecord] = []
        order = google.cloud.logging.DESCENDING if newest_first else google.cloud.logging.ASCENDING
        with self._translated(text):
            entries: Iterator[Any] = client.list_entries(
                resource_names=[f"projects/{self.ref.project}"],
                filter_=text,
                order_by=order,
                page_size=min(self.max_entries, 1000),
                max_results=self.max_entries + 1,
            )
            for entry in entries:
                records.append(_record(entry))
        capped = len(records) > self.max_entries
        pages = self._pages.count - pages_before
        return Listing(tuple(records[: self.max_entries]), pages, capped, text)

    def _connect(self) -> Any:
        if self._client is not None:
            return self._client
        import google.auth
        import google.auth.exceptions
        import google.cloud.logging
        from google.auth.credentials import AnonymousCredentials
        from google.auth.transport.requests import AuthorizedSession

        from ._logtransport import PageCounter

        credentials: Any
        if is_local(self._endpoint):
            credentials = AnonymousCredentials()  # type: ignore[no-untyped-call]
        else:
            try:
                credentials, _ = google.auth.default(scopes=[READ_SCOPE])
            except google.auth.exceptions.DefaultCredentialsError as err:
                raise LoggingApiError(
                    "no Google credentials to call the Cloud Logging API",
                    "on a workstation run `gcloud auth application-default login`; in CI use a "
                    f"service account with {VIEWER_ROLE} on project {self.ref.project}.",
                ) from err
        session = AuthorizedSession(credentials)  # type: ignore[no-untyped-call]
        self._pages = PageCounter(self.timeout)
        session.mount("http://", self._pages)
        session.mount("https://", self._pages)
        options = {"api_endpoint": self._endpoint} if self._endpoint else None
        self._client = google.cloud.logging.Client(  # type: ignore[no-untyped-call]
            project=self.ref.project,
            credentials=credentials,
            _http=session,
            _use_grpc=False,
            client_options=options,
        )
        return self._client

    @contextlib.contextmanager
    def _translated(self, text: str) -> Iterator[None]:
        """The client's exceptions as LoggingApiError, with advice."""
        import google.auth.exceptions
        import requests
        from google.api_core import exceptions

        project = self.ref.project
        try:
            yield
        except (exceptions.Forbidden, exceptions.PermissionDenied) as err:
            raise LoggingApiError(
                f"the Cloud Logging API denied logging.logEntries.list on project {project} "
                f"(403: {api_message(err)})",
                f"grant the gate's identity {VIEWER_ROLE} on project {project}.",
                403,
            ) from err
        except exceptions.BadRequest as err:
            raise LoggingApiError(
                f"the Cloud Logging API rejected the filter (400: {api_message(err)})",
                "the contract's logs.startup_lines are RE2 regular expressions (no lookaround, no "
                f"backreferences); the filter was: {text}",
                400,
            ) from err
        except exceptions.GoogleAPICallError as err:
            raise LoggingApiError(
                f"the Cloud Logging API failed: {err.code} {api_message(err)}",
                "retry the gate; if it persists, read the message above.",
            ) from err
        except requests.exceptions.Timeout as err:
            raise LoggingApiError(
                f"the Cloud Logging API at {self.endpoint} did not answer within "
                f"{self.timeout:g} s",
                "retry the gate; check --logging-endpoint (LOGGING_API_ENDPOINT).",
            ) from err
        except (requests.exceptions.RequestException, google.auth.exceptions.TransportError) as err:
            option = "--logging-endpoint (LOGGING_API_ENDPOINT)"
            raise unreachable(
                LoggingApiError, "Cloud Logging API", self.endpoint, option, err
            ) from err


def _record(entry: Any) -> LogRecord:
    payload = entry.payload
    if isinstance(payload, dict):
        text = str(payload.get("message", payload))
    else:
        text = "" if payload is None else str(payload)
    request = entry.http_request or {}
    status = request.get("status")
    return LogRecord(
        timestamp=entry.timestamp,
        severity=str(entry.severity or "DEFAULT"),
        text=text,
        log_name=entry.log_name or "",
        method=str(request.get("requestMethod", "")),
        url=str(request.get("requestUrl", "")),
        status=int(status) if status is not None else None,
        latency=str(request.get("latency", "")),
        user_agent=str(request.get("userAgent", "")),
        trace=entry.trace or "",
    )


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
    """How many of the gate's own answered requests the logs showed before the deadline."""

    seen: int
    expected: int
    waited: float

    @property
    def complete(self) -> bool:
        """True when every request the gate sent is in the logs."""
        return self.seen >= self.expected


def _poll(deadline: float) -> Iterator[int]:
    """Yields poll numbers until ``deadline`` (monotonic), sleeping a growing interval between."""
    interval, polls = 0.25, 0
    while True:
        polls += 1
        yield polls
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        time.sleep(min(interval, remaining))
        interval = min(interval * 2, 5.0)


def scan_startup_lines(
    reader: LogReader, patterns: tuple[str, ...], deadline: float
) -> StartupScan:
    """Poll the revision's logs until every pattern has a matching line, or the deadline passes."""
    started = time.monotonic()
    found: dict[str, LogRecord] = {}
    polls = 0
    for polls in _poll(deadline):  # noqa: B007 - the last value is reported
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
                if pattern not in found and re.search(pattern, record.text):
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
    seen = 0
    for _ in _poll(deadline):
        seen = len(reader.list(f"httpRequest.userAgent={quote(user_agent)}").records)
        if seen >= expected:
            break
    return Ingestion(seen, expected, time.monotonic() - started)


def closest_lines(pattern: str, records: tuple[LogRecord, ...], count: int = 3) -> list[LogRecord]:
    """The lines most like what ``pattern`` looks for, else the first few."""
    plain = re.sub(r"\\(.)", r"\1", pattern)
    texts = [record.text for record in records]
    close = difflib.get_close_matches(plain, texts, n=count, cutoff=0.4)
    return [records[texts.index(text)] for text in close] or list(records[:count])
