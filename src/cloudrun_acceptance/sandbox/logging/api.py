"""A local Cloud Logging API v2 ``entries:list`` over the sandbox service's own log.

It honours the filter (see ``filter``), ``orderBy``, ``pageSize`` (50 when not given, as the
API's reference says) and page tokens, and refuses what the real API refuses (a page size over
1000, a filter over 20,000 characters, an order but by timestamp: 400 INVALID_ARGUMENT). A page
holds at most ``Behaviour.logging_page_limit`` entries (1000, the API's most; a test sets fewer
to read many pages, as the real API may return fewer than asked). The last page has no
``nextPageToken`` key at all: the real client loops forever on an empty one.

The project's read quota (``Behaviour.logging_reads_per_minute``; Cloud Logging's is 60
entries:list calls a minute per project) is a ``ReadQuota`` that every region's Logging API of
the project shares: a call beyond it is refused with 429 RESOURCE_EXHAUSTED, as the real API
refuses it. The users simulated at a rate (platform/simulated.py) are listed with the log's own
entries: the filter's scope says which of their entries to make.

A listing's later pages are cut from the entries its first page matched (the page token names
that listing), as a listing of the real API continues one query: the filter runs once per
listing, not once per page, which would cost a listing of many pages (a rollout step's users'
requests) the log's length times its pages. In time order (the default) a listing finds its
entries as its pages are read, so a client that stops at its cap never costs the rest: a
minute of 5,000 simulated requests a second is not made to read its first 1,000.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ...model.quota import CallWindow
from ..platform.deployment import PROJECT_NUMBER, LogStore
from ..platform.jsonserver import JsonServer, Request, error_body
from .filter import FilterError, parse_scoped

DEFAULT_PAGE_SIZE = 50
# What entries:list refuses (the API reference, ListLogEntriesRequest): a page size that is
# negative or over 1000, a filter over 20,000 characters, an order but by timestamp.
MAX_PAGE_SIZE = 1000
MAX_FILTER_CHARACTERS = 20_000
ORDERS = ("timestamp asc", "timestamp desc")
# Listings whose later pages can still be read; an older one's token lists its query again.
KEPT_LISTINGS = 64


class ReadQuota:
    """A project's entries:list calls a minute: at most ``per_minute`` in any 60 seconds (0:
    no limit), counted on ``clock``; shared by every region's Logging API of the project."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.calls = 0
        self.refused = 0
        self._window = CallWindow(per_minute)
        self._lock = threading.Lock()

    def take(self) -> bool:
        """Whether one more call is within the quota now (then it is counted)."""
        with self._lock:
            if self._window.admit(self.clock()) <= 0:
                self.calls += 1
                return True
            self.refused += 1
            return False


class Listing:
    """One query's entries, found from ``source`` (in the listing's order) as pages ask for
    them, and kept for the pages after."""

    def __init__(self, source: Iterator[dict[str, Any]]) -> None:
        self._source = source
        self._found: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def page(self, start: int, size: int) -> tuple[list[dict[str, Any]], bool]:
        """The entries from ``start``, at most ``size``, and whether more follow."""
        with self._lock:
            wanted = start + size + 1  # one more: whether a next page exists
            self._found.extend(itertools.islice(self._source, max(0, wanted - len(self._found))))
            return self._found[start : start + size], len(self._found) > start + size


class LoggingApi:
    """The routes of the local Logging API, over one log store; counts the pages it served."""

    def __init__(self, log: LogStore, quota: ReadQuota | None = None) -> None:
        self.log = log
        self.quota = quota or ReadQuota(log.deployment.behaviour.logging_reads_per_minute)
        self.pages_served = 0
        self._listings: OrderedDict[str, Listing] = OrderedDict()
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
        if not self.quota.take():
            return 429, error_body(
                429,
                "RESOURCE_EXHAUSTED",
                "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per "
                f"minute' of service 'logging.googleapis.com' for consumer "
                f"'project_number:{PROJECT_NUMBER}'.",
            )
        name, listing, start = self._continued(str(request.get("pageToken") or ""))
        if listing is None:
            try:
                listing = Listing(self._matching(request))
            except FilterError as err:
                return 400, error_body(400, "INVALID_ARGUMENT", str(err))
            name = self._keep(listing)
        limit = deployment.behaviour.logging_page_limit
        size = min(int(request.get("pageSize") or DEFAULT_PAGE_SIZE), limit)
        entries, more = listing.page(start, size)
        page: dict[str, Any] = {"entries": entries}
        if more:
            page["nextPageToken"] = f"{name}:{start + size}"
        self.pages_served += 1
        return 200, page

    def _matching(self, request: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        """The entries the request's filter selects, in its order (raises FilterError): the
        log's own and the simulated users', found as they are read in time order."""
        matches, scope = parse_scoped(str(request.get("filter", "")))
        order = str(request.get("orderBy", "") or "timestamp asc")
        lag = self.log.deployment.behaviour.logs_lag_seconds
        own = sorted(
            (entry for entry in self.log.snapshot(lag) if matches(entry)),
            key=_stamp,
        )
        simulated = self.log.simulated
        if simulated is None:
            merged: Iterator[dict[str, Any]] = iter(own)
        else:
            made = simulated.requests(scope, simulated.now() - lag)
            merged = heapq.merge(own, (entry for entry in made if matches(entry)), key=_stamp)
        if order.endswith("desc"):
            return iter(sorted(merged, key=_stamp, reverse=True))
        return merged

    def _keep(self, listing: Listing) -> str:
        """Keep a listing for its later pages; its name."""
        with self._lock:
            name = str(next(self._ids))
            self._listings[name] = listing
            while len(self._listings) > KEPT_LISTINGS:
                self._listings.popitem(last=False)
        return name

    def _continued(self, token: str) -> tuple[str, Listing | None, int]:
        """The listing a page token continues and its entries (None for a first page, or when
        the listing is gone: the query runs again), and the offset of the page it asks for."""
        listing, _, offset = token.rpartition(":")
        start = int(offset) if offset.isdigit() else 0
        with self._lock:
            return listing, self._listings.get(listing), start


def _stamp(entry: Mapping[str, Any]) -> str:
    """An entry's timestamp, which sorts as the time (one RFC 3339 form, in UTC)."""
    return str(entry["timestamp"])


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


def start_logging_api(
    log: LogStore, quota: ReadQuota | None = None
) -> tuple[JsonServer, LoggingApi]:
    """Serve the local Logging API over ``log``, within the project's read ``quota`` (the
    behaviour's, for this API alone, unless given)."""
    api = LoggingApi(log, quota)
    return JsonServer(api, "sandbox-logging-api"), api
