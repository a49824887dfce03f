"""Cloud Monitoring, through google-api-python-client's discovery client over REST: Cloud
Run's own request counts of the revisions of a window.

google-cloud-monitoring's MetricServiceClient speaks gRPC only; the discovery client speaks
REST from the discovery document it ships (no network to build it), so it reaches the real API
and a local one (the sandbox's) alike. An http:// endpoint gets anonymous credentials, anything
else Application Default Credentials with the monitoring.read scope. The client is imported on
the first read only (a rollout step's window, or the 5xx of a revision whose logs hold more
than the logs checks read).

One read is one ``projects.timeSeries.list`` of ``run.googleapis.com/request_count``, the
revisions' series summed per revision and response code class, per minute (the alignment the
API allows at the least), over the window: at most MAX_CALLS pages, whatever the traffic. The
latencies are one more of ``run.googleapis.com/request_latencies`` (a DELTA distribution in
milliseconds), summed per revision: a histogram whose buckets are the ones the API declares
(``bucketOptions``: linear, exponential or explicit bounds).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

from ..model.errors import MonitoringApiError
from ..model.monitoring import LatencyHistogram, MetricCounts, RevisionCounts, RevisionTally
from ..model.service import ServiceRef
from .errors import ApiCall, local_credentials, translate
from .logs import quote

API_TIMEOUT = 10.0
VIEWER_ROLE = "roles/monitoring.viewer"
READ_SCOPE = "https://www.googleapis.com/auth/monitoring.read"
ENDPOINT_OPTION = "--monitoring-endpoint (MONITORING_API_ENDPOINT)"
REQUEST_COUNT = "run.googleapis.com/request_count"
REQUEST_LATENCIES = "run.googleapis.com/request_latencies"
ALIGNMENT = "60s"
GROUPS = ("resource.labels.revision_name", "metric.labels.response_code_class")
# Pages of one read at most: a window's series are two revisions x a few code classes.
MAX_CALLS = 4
# Points of one series at most, in a revision's counts since it started: the alignment grows
# with the revision's age (a day of minutes).
MAX_POINTS = 1440


def counts_filter(ref: ServiceRef, revisions: tuple[str, ...], metric: str = REQUEST_COUNT) -> str:
    """The request counts (or another of Cloud Run's metrics) of these revisions."""
    named = " OR ".join(f"resource.labels.revision_name = {quote(name)}" for name in revisions)
    return (
        f'metric.type = "{metric}" AND resource.type = "cloud_run_revision" AND '
        f"resource.labels.service_name = {quote(ref.service)} AND ({named})"
    )


def alignment_seconds(start: datetime, end: datetime) -> int:
    """The alignment period for a stretch: whole minutes, enough of them that a series has at
    most MAX_POINTS points (one minute up to a day, 30 minutes for a month)."""
    minutes = (end - start).total_seconds() / 60
    return 60 * max(1, math.ceil(minutes / MAX_POINTS))


def _stamp(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


class MetricsReader:
    """Reads Cloud Run's request counts; one client, made on the first read."""

    def __init__(
        self, ref: ServiceRef, *, endpoint: str | None, timeout: float = API_TIMEOUT
    ) -> None:
        self.ref = ref
        self.endpoint = endpoint or "monitoring.googleapis.com"
        self._endpoint = endpoint
        self.timeout = timeout
        self._service: Any = None

    def request_counts(
        self,
        revisions: tuple[str, ...],
        start: datetime,
        end: datetime,
        *,
        alignment: str = ALIGNMENT,
    ) -> MetricCounts:
        """Each revision's requests and 5xx from ``start`` to ``end``, as far as Monitoring's
        points cover it, in points of ``alignment`` (raises MonitoringApiError)."""
        series, calls = self._series(
            counts_filter(self.ref, revisions), start, end, alignment, GROUPS
        )
        return _counts(series, revisions, calls)

    def with_latencies(self, counts: MetricCounts, revisions: tuple[str, ...]) -> MetricCounts:
        """``counts`` with each revision's latencies over the same stretch (one more read;
        raises MonitoringApiError)."""
        if counts.start is None or counts.end is None:
            return counts
        wanted = counts_filter(self.ref, revisions, REQUEST_LATENCIES)
        series, calls = self._series(
            wanted, counts.start, counts.end, ALIGNMENT, ("resource.labels.revision_name",)
        )
        found = tuple(
            histogram
            for histogram in (_histogram(one) for one in series)
            if histogram is not None and histogram.revision in revisions
        )
        return replace(counts, latencies=found, calls=counts.calls + calls)

    def _series(
        self,
        wanted: str,
        start: datetime,
        end: datetime,
        alignment: str,
        groups: tuple[str, ...],
    ) -> tuple[list[dict[str, Any]], int]:
        """The series ``wanted`` selects, summed per ``groups`` in points of ``alignment``, and
        the calls the read took (at most MAX_CALLS pages)."""
        with self._translated():
            listing = self._client().projects().timeSeries()
            request = listing.list(
                name=f"projects/{self.ref.project}",
                filter=wanted,
                interval_startTime=_stamp(start),
                interval_endTime=_stamp(end),
                aggregation_alignmentPeriod=alignment,
                aggregation_perSeriesAligner="ALIGN_DELTA",
                aggregation_crossSeriesReducer="REDUCE_SUM",
                aggregation_groupByFields=list(groups),
            )
            series: list[dict[str, Any]] = []
            calls = 0
            while request is not None and calls < MAX_CALLS:
                page = request.execute(num_retries=0)
                calls += 1
                series += page.get("timeSeries", [])
                request = listing.list_next(request, page)
            return series, calls

    def revision_counts(self, revision: str, start: datetime, end: datetime) -> RevisionTally:
        """One revision's requests and 5xx from ``start`` (its creation) to ``end``: the samples
        that ended in that stretch, in points of whole minutes, at most MAX_POINTS of them a
        series however old the revision (raises MonitoringApiError)."""
        period = alignment_seconds(start, end)
        counts = self.request_counts((revision,), start, end, alignment=f"{period}s")
        return RevisionTally(revision, start, end, counts)

    def _client(self) -> Any:
        if self._service is not None:
            return self._service
        import google.auth
        import google_auth_httplib2
        import httplib2
        from googleapiclient.discovery import build

        credentials: Any = local_credentials(self._endpoint)
        if credentials is None:
            credentials, _ = google.auth.default(scopes=[READ_SCOPE])
        http = google_auth_httplib2.AuthorizedHttp(
            credentials, http=httplib2.Http(timeout=self.timeout)
        )
        options = {"api_endpoint": self._endpoint} if self._endpoint else None
        self._service = build(
            "monitoring",
            "v3",
            http=http,
            static_discovery=True,
            cache_discovery=False,
            client_options=options,
        )
        return self._service

    @contextlib.contextmanager
    def _translated(self) -> Iterator[None]:
        """The client's exceptions as MonitoringApiError, with advice."""
        try:
            yield
        except Exception as err:
            call = ApiCall(
                api="Cloud Monitoring API",
                endpoint=self.endpoint,
                option=ENDPOINT_OPTION,
                permission="monitoring.timeSeries.list",
                resource=f"project {self.ref.project}",
                project=self.ref.project,
                role=VIEWER_ROLE,
                timeout=self.timeout,
            )
            translated = translate(_as_api_core(err), call, MonitoringApiError)
            if translated is None:
                translated = MonitoringApiError(
                    f"the Cloud Monitoring API at {self.endpoint} failed: "
                    f"{type(err).__name__}: {err}",
                    f"check {ENDPOINT_OPTION}",
                )
            raise translated from err


def _as_api_core(err: BaseException) -> BaseException:
    """The discovery client's HttpError as api_core's exception of its status (Forbidden, ...),
    and a socket's failure as a transport error, so one table translates every client's."""
    status = getattr(getattr(err, "resp", None), "status", None)
    if status is not None:
        from google.api_core import exceptions

        reason = getattr(err, "reason", None) or str(err)
        found: BaseException = exceptions.from_http_status(int(status), str(reason))  # type: ignore[no-untyped-call]
        return found
    if isinstance(err, TimeoutError):
        from requests.exceptions import Timeout

        return Timeout(str(err))
    if isinstance(err, OSError) or type(err).__module__.startswith("httplib2"):
        from requests.exceptions import ConnectionError as Unreachable

        return Unreachable(str(err))
    return err


def _counts(series: list[dict[str, Any]], revisions: tuple[str, ...], calls: int) -> MetricCounts:
    """Each revision's total and 5xx over the points read, and the stretch they covered."""
    totals = {name: [0, 0] for name in revisions}
    firsts: list[datetime] = []
    lasts: list[datetime] = []
    for one in series:
        revision = str(one.get("resource", {}).get("labels", {}).get("revision_name", ""))
        kind = str(one.get("metric", {}).get("labels", {}).get("response_code_class", ""))
        for point in one.get("points", []):
            count = int(point.get("value", {}).get("int64Value", 0))
            interval = point.get("interval", {})
            if interval.get("endTime"):  # every point of the API has one; else no stretch
                firsts.append(_parsed(interval.get("startTime") or interval["endTime"]))
                lasts.append(_parsed(interval["endTime"]))
            if revision in totals:
                totals[revision][0] += count
                totals[revision][1] += count if kind == "5xx" else 0
    counts = tuple(RevisionCounts(name, *totals[name]) for name in revisions)
    return MetricCounts(counts, min(firsts, default=None), max(lasts, default=None), calls)


def _histogram(series: dict[str, Any]) -> LatencyHistogram | None:
    """A series of distributions as one histogram: its points' bucket counts summed (None when
    its points declare no buckets, or different ones)."""
    revision = str(series.get("resource", {}).get("labels", {}).get("revision_name", ""))
    bounds: tuple[float, ...] | None = None
    totals: list[int] = []
    for point in series.get("points", []):
        distribution = point.get("value", {}).get("distributionValue", {})
        found = bucket_bounds(distribution.get("bucketOptions", {}))
        if found is None or (bounds is not None and found != bounds):
            return None
        bounds = found
        counts = [int(count) for count in distribution.get("bucketCounts", [])]
        if len(totals) < len(bounds) + 1:
            totals += [0] * (len(bounds) + 1 - len(totals))
        for index, count in enumerate(counts[: len(bounds) + 1]):
            totals[index] += count
    if bounds is None:
        return None
    return LatencyHistogram(revision, bounds, tuple(totals))


def bucket_bounds(options: dict[str, Any]) -> tuple[float, ...] | None:
    """The finite buckets' bounds a distribution's ``bucketOptions`` declare (the API's
    Linear, Exponential and Explicit forms), or None."""
    if "explicitBuckets" in options:
        return tuple(float(b) for b in options["explicitBuckets"].get("bounds", []))
    if "exponentialBuckets" in options:
        buckets = options["exponentialBuckets"]
        scale, growth = float(buckets.get("scale", 1)), float(buckets.get("growthFactor", 2))
        return tuple(scale * growth**i for i in range(int(buckets.get("numFiniteBuckets", 0)) + 1))
    if "linearBuckets" in options:
        buckets = options["linearBuckets"]
        offset, width = float(buckets.get("offset", 0)), float(buckets.get("width", 1))
        return tuple(offset + width * i for i in range(int(buckets.get("numFiniteBuckets", 0)) + 1))
    return None


def _parsed(text: str) -> datetime:
    return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
