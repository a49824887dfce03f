"""A local Cloud Logging API v2 ``entries:list`` over the sandbox service's own log.

It honours the filter (see logfilter), ``orderBy``, ``pageSize`` and page tokens. Pages hold at
most PAGE_LIMIT entries, as the real API may return fewer than asked, so every client reads
several pages. The last page has no ``nextPageToken`` key at all: the real client loops forever
on an empty one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .deployment import LogStore
from .jsonserver import JsonServer, Request, error_body
from .logfilter import FilterError, parse_filter

PAGE_LIMIT = 10


class LoggingApi:
    """The routes of the local Logging API, over one log store; counts the pages it served."""

    def __init__(self, log: LogStore) -> None:
        self.log = log
        self.pages_served = 0

    def __call__(self, call: Request) -> tuple[int, Any]:
        deployment = self.log.deployment
        if call.method != "POST" or call.path != "/v2/entries:list":
            return 404, error_body(404, "NOT_FOUND", f"Method not found: {call.method} {call.path}")
        if deployment.behaviour.logging_api_status == 403:
            return 403, error_body(
                403,
                "PERMISSION_DENIED",
                f"Permission 'logging.logEntries.list' denied on resource (or it may not exist): "
                f"projects/{deployment.project}",
            )
        request = call.body if isinstance(call.body, Mapping) else {}
        if request.get("resourceNames") != [f"projects/{deployment.project}"]:
            return 400, error_body(
                400, "INVALID_ARGUMENT", f"resourceNames must be [projects/{deployment.project}]"
            )
        try:
            matches = parse_filter(str(request.get("filter", "")))
        except FilterError as err:
            return 400, error_body(400, "INVALID_ARGUMENT", str(err))
        order = str(request.get("orderBy", "timestamp asc"))
        lag = deployment.behaviour.logs_lag_seconds
        entries = sorted(
            (entry for entry in self.log.snapshot(lag) if matches(entry)),
            key=lambda entry: str(entry["timestamp"]),
            reverse=order.endswith("desc"),
        )
        start = int(request.get("pageToken") or 0)
        size = min(int(request.get("pageSize") or PAGE_LIMIT), PAGE_LIMIT)
        page: dict[str, Any] = {"entries": entries[start : start + size]}
        if start + size < len(entries):
            page["nextPageToken"] = str(start + size)
        self.pages_served += 1
        return 200, page


def start_logging_api(log: LogStore) -> tuple[JsonServer, LoggingApi]:
    """Serve the local Logging API over ``log``."""
    api = LoggingApi(log)
    return JsonServer(api, "sandbox-logging-api"), api
