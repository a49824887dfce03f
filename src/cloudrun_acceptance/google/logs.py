"""Cloud Logging, through the real google-cloud-logging client: the revision's entries.

REST only (``_use_grpc=False``). The client is given its own HTTP session, whose transport
applies the gate's timeout and counts the pages read. An http://
endpoint (the sandbox, an emulator) gets anonymous credentials, anything else Application Default
Credentials. Every filter names a ``timestamp`` bound, so the client adds none of its own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..model.errors import LoggingApiError
from ..model.logs import Listing, LogRecord
from ..model.service import ServiceRef
from .errors import ApiCall, local_credentials, translate

if TYPE_CHECKING:
    from .quota import ReadPacer

API_TIMEOUT = 10.0
VIEWER_ROLE = "roles/logging.viewer"
READ_SCOPE = "https://www.googleapis.com/auth/logging.read"
ENDPOINT_OPTION = "--logging-endpoint (LOGGING_API_ENDPOINT)"


def quote(value: str) -> str:
    """A string literal of the Logging filter language."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def revision_filter(ref: ServiceRef, revision: str | None, since: datetime | None) -> str:
    """The revision's entries since it was created (every revision's, without one; since
    any time, without ``since``: the caller's condition bounds the time)."""
    terms = [
        'resource.type="cloud_run_revision"',
        f"resource.labels.service_name={quote(ref.service)}",
        f"resource.labels.revision_name={quote(revision)}" if revision else "",
        f"timestamp>={quote(since.isoformat().replace('+00:00', 'Z'))}" if since else "",
    ]
    return " AND ".join(term for term in terms if term)


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
        pacer: ReadPacer | None = None,
    ) -> None:
        self.ref = ref
        self.pacer = pacer
        self.base = revision_filter(ref, revision, since)
        self.service_base = revision_filter(ref, None, since)
        self.any_time_base = revision_filter(ref, None, None)
        self.endpoint = endpoint or "logging.googleapis.com"
        self._endpoint = endpoint
        self.max_entries = max_entries
        self.timeout = timeout
        self._client: Any = None
        self._pages: Any = None

    def list(
        self,
        condition: str = "",
        *,
        newest_first: bool = False,
        any_revision: bool = False,
        any_time: bool = False,
    ) -> Listing:
        """Entries of the revision (of any revision of the service, with ``any_revision``)
        matching ``condition``, oldest first, up to the cap; since the revision was created, or,
        ``any_time``, whenever ``condition`` says (every revision's: the users' requests to the
        service before the revision came are the stable revision's)."""
        import google.cloud.logging

        base = self.base
        if any_revision or any_time:
            base = self.any_time_base if any_time else self.service_base
        text = f"{base} AND ({condition})" if condition else base
        client = self.connect()
        self._pages.start_listing()
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

    @property
    def waited(self) -> float:
        """Seconds this reader's calls waited for a turn in the project's read quota."""
        return float(self._pages.waited) if self._pages is not None else 0.0

    def connect(self) -> Any:
        """The Logging client (imported, with credentials, on the first call), for ``list``."""
        if self._client is not None:
            return self._client
        import google.auth
        import google.cloud.logging
        from google.auth.transport.requests import AuthorizedSession

        from ._transport import PageCounter

        credentials: Any = local_credentials(self._endpoint)
        if credentials is None:
            with self._translated(""):
                credentials, _ = google.auth.default(scopes=[READ_SCOPE])
        session = AuthorizedSession(credentials)  # type: ignore[no-untyped-call]
        self._pages = PageCounter(self.timeout, self.pacer)
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
        try:
            yield
        except Exception as err:
            call = ApiCall(
                api="Cloud Logging API",
                endpoint=self.endpoint,
                option=ENDPOINT_OPTION,
                permission="logging.logEntries.list",
                resource=f"project {self.ref.project}",
                project=self.ref.project,
                role=VIEWER_ROLE,
                timeout=self.timeout,
                request="filter",
                bad_request="the contract's logs.startup_lines are RE2 regular expressions (no "
                "lookaround, no backreferences), and a filter holds at most 20,000 characters; "
                f"the filter was: {_shown(text)}",
            )
            translated = translate(err, call, LoggingApiError)
            if translated is None:
                raise
            raise translated from err


# A filter quoted in advice is cut to this many characters.
SHOWN_FILTER = 500


def _shown(text: str) -> str:
    """The filter, or its start and its length when it is long."""
    if len(text) <= SHOWN_FILTER:
        return text
    return f"{text[:SHOWN_FILTER]}... ({len(text)} characters)"


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
        revision=str((getattr(entry.resource, "labels", None) or {}).get("revision_name", "")),
        insert_id=entry.insert_id or "",
    )
