"""A local Cloud Logging API v2 ``entries:list`` over the sandbox service's own log.

It honours the filter (see logfilter), ``orderBy``, ``pageSize`` and page tokens, and refuses
what the real API refuses (a page size over 1000, a filter over 20,000 characters, an order but
by timestamp: 400 INVALID_ARGUMENT). Pages hold at
most PAGE_LIMIT entries, as the real API may return fewer than asked, so every client reads
several pages. The last page has no ``nextPageToken`` key at all: the real client loops forever
on an empty one.

A listing's later pages are cut from the entries its first page matched (the page token names
that listing), as a listing of the real API continues one query: the filter runs once per
listing, not once per page, which would cost a listing of many pages (a rollout step's users'
requests) the log's length times its pages.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from .deployment import LogStore
from .jsonserver import JsonServer, Request, error_body
from .logfilter import FilterError, parse_filter

PAGE_LIMIT = 10
# What entries:list refuses (the API reference, ListLogEntriesRequest): a page size that is
# negative or over 1000, a filter over 20,000 characters, an order but by timestamp.
MAX_PAGE_SIZE = 1000
MAX_FILTER_CHARACTERS = 20_000
ORDERS = ("timestamp asc", "timestamp desc")
# Listings whose later pages can still be read; an older one's token lists its query again.
KEPT_LISTINGS = 64


class LoggingApi:
    """The routes of the local Logging API, over one log store; counts the pages it served."""

    def __init__(self, log: LogStore) -> None:
        self.log = log
        self.pages_served = 0
        self._listings: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

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
        refused = _refused(request)
        if refused:
            return 400, error_body(400, "INVALID_ARGUMENT", refused)
        listing, entries, start = self._continued(str(request.get("pageToken") or ""))
        if entries is None:
            try:
                entries = self._matching(request)
            except FilterError as err:
                return 400, error_body(400, "INVALID_ARGUMENT", str(err))
            listing = self._keep(entries)
        size = min(int(request.get("pageSize") or PAGE_LIMIT), PAGE_LIMIT)
        page: dict[str, Any] = {"entries": entries[start : start + size]}
        if start + size < len(entries):
            page["nextPageToken"] = f"{listing}:{start + size}"
        self.pages_served += 1
        return 200, page

    def _matching(self, request: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The entries the request's filter selects, in its order (raises FilterError)."""
        matches = parse_filter(str(request.get("filter", "")))
        order = str(request.get("orderBy", "") or "timestamp asc")
        lag = self.log.deployment.behaviour.logs_lag_seconds
        return sorted(
            (entry for entry in self.log.snapshot(lag) if matches(entry)),
            key=lambda entry: str(entry["timestamp"]),
            reverse=order.endswith("desc"),
        )

    def _keep(self, entries: list[dict[str, Any]]) -> str:
        """Keep a listing's entries for its later pages; its id."""
        with self._lock:
            listing = str(next(self._ids))
            self._listings[listing] = entries
            while len(self._listings) > KEPT_LISTINGS:
                self._listings.popitem(last=False)
        return listing

    def _continued(self, token: str) -> tuple[str, list[dict[str, Any]] | None, int]:
        """The listing a page token continues and its entries (None for a first page, or when
        the listing is gone: the query runs again), and the offset of the page it asks for."""
        listing, _, offset = token.rpartition(":")
        start = int(offset) if offset.isdigit() else 0
        with self._lock:
            return listing, self._listings.get(listing), start


def _refused(request: Mapping[str, Any]) -> str:
    """Why entries:list refuses the request ("" when it does not)."""
    size = request.get("pageSize", 0)
    if isinstance(size, str) and size.lstrip("-").isdigit():  # JSON's int32 may be a string
        size = int(size)
    if not isinstance(size, int) or not 0 <= size <= MAX_PAGE_SIZE:
        return f"page_size must be between 0 and {MAX_PAGE_SIZE}, not {size!r}"
    text = str(request.get("filter", ""))
    if len(text) > MAX_FILTER_CHARACTERS:
        return f"filter is {len(text)} characters long; the limit is {MAX_FILTER_CHARACTERS}"
    order = str(request.get("orderBy", "") or "timestamp asc")
    if order not in ORDERS:
        return f"order_by must be one of {', '.join(ORDERS)}, not {order!r}"
    return ""


def start_logging_api(log: LogStore) -> tuple[JsonServer, LoggingApi]:
    """Serve the local Logging API over ``log``."""
    api = LoggingApi(log)
    return JsonServer(api, "sandbox-logging-api"), api
