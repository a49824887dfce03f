"""A local Cloud Monitoring API v3 ``projects.timeSeries.list`` over the sandbox's request log:
Cloud Run's built-in ``run.googleapis.com/request_count`` (INT64) and
``run.googleapis.com/request_latencies`` (a DISTRIBUTION in ms) of each revision, by response
code, as the real API reports them, so that the gate's Monitoring client reads what the users'
requests (and the gate's own) did (samples.py makes the samples).

Cloud Run samples request_count every 60 seconds, and a sample is visible up to 180 seconds
later (Google Cloud's metrics list). Here both are the behaviour's
(``monitoring_sample_seconds``, ``monitoring_delay_seconds``), short by default so that tests
see their requests counted in seconds: a request is counted in the sample period it came in,
and that sample is visible once the period has ended and the delay passed.

What it honours (the API reference, projects.timeSeries/list): the filter (``metric.type``,
``resource.type`` and the labels, with ``=``, AND, OR, NOT and parentheses, as logging.filter
parses them), ``interval.startTime`` and ``interval.endTime`` (the samples that ended in it),
``aggregation.alignmentPeriod`` with the aligners ALIGN_DELTA and ALIGN_SUM (periods counted
back from the end time, each point the sum of the samples that ended in it; newest point
first), ``aggregation.crossSeriesReducer`` REDUCE_SUM with ``groupByFields``, ``pageSize`` and
page tokens; a distribution's points are its samples' buckets summed. What it refuses, with
400 INVALID_ARGUMENT as the API does: no filter, a filter without one ``metric.type``, no end
time, an alignment period under 60 s, an aligner or reducer other than those, a reducer without
an aligner.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..logging.filter import FilterError, parse_filter
from ..platform.deployment import LogStore
from ..platform.jsonserver import JsonServer, Request, error_body
from .samples import Labels, count_of, distribution_of, samples

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Points = dict[datetime, NDArray[np.float64]]

REQUEST_COUNT = "run.googleapis.com/request_count"
REQUEST_LATENCIES = "run.googleapis.com/request_latencies"
_METRIC_TYPE = re.compile(r'metric\.type\s*=\s*"([^"]+)"')
RESOURCE = "cloud_run_revision"
MIN_ALIGNMENT_SECONDS = 60
ALIGNERS = ("ALIGN_DELTA", "ALIGN_SUM")
REDUCERS = ("REDUCE_NONE", "REDUCE_SUM")
PAGE_SIZE = 100_000
_PATH = re.compile(r"^/v3/projects/([^/]+)/timeSeries$")


class _Refused(ValueError):
    """A 400 INVALID_ARGUMENT, with the API's kind of message."""


class MonitoringApi:
    """The routes of the local Monitoring API, over one log store; counts the calls."""

    def __init__(self, log: LogStore) -> None:
        self.log = log
        self.calls = 0

    def __call__(self, call: Request) -> tuple[int, Any]:
        deployment = self.log.deployment
        found = _PATH.match(call.path)
        if call.method != "GET" or found is None:
            return 404, error_body(404, "NOT_FOUND", f"Method not found: {call.method} {call.path}")
        self.calls += 1
        status = deployment.behaviour.monitoring_api_status
        if status == 403:
            return 403, error_body(
                403,
                "PERMISSION_DENIED",
                f"Permission monitoring.timeSeries.list denied (or the resource may not exist): "
                f"projects/{found.group(1)}",
            )
        if found.group(1) != deployment.project:
            return 404, error_body(404, "NOT_FOUND", f"Project {found.group(1)} not found")
        try:
            series = self._series(call.query)
        except (_Refused, FilterError) as err:
            return 400, error_body(400, "INVALID_ARGUMENT", str(err))
        size = _integer(call.query, "pageSize", PAGE_SIZE) or PAGE_SIZE
        start = _integer(call.query, "pageToken", 0)
        page: dict[str, Any] = {"timeSeries": series[start : start + size]}
        if start + size < len(series):
            page["nextPageToken"] = str(start + size)
        return 200, page

    def _series(self, query: Mapping[str, list[str]]) -> list[dict[str, Any]]:
        """The time series the query asks for (raises _Refused, FilterError)."""
        text = _one(query, "filter")
        if not text:
            raise _Refused("Field filter had an invalid value: a filter is required")
        metric = _metric_type(text)
        matches = parse_filter(text)
        end = _time(query, "interval.endTime")
        if end is None:
            raise _Refused("Field interval.endTime had an invalid value: it is required")
        start = _time(query, "interval.startTime") or end
        period = _alignment(query)
        behaviour = self.log.deployment.behaviour
        tallies = samples(
            self.log,
            behaviour.monitoring_sample_seconds,
            datetime.now(UTC) - timedelta(seconds=behaviour.monitoring_delay_seconds),
            (start - timedelta(seconds=behaviour.monitoring_sample_seconds), end),
        )
        raw: dict[Labels, Points] = {}
        known = metric in {REQUEST_COUNT, REQUEST_LATENCIES}
        for (labels, ended), tally in tallies.items():
            if known and start < ended <= end and matches(_described(labels, metric)):
                _add(raw.setdefault(labels, {}), ended, tally)
        groups = {
            name.replace(".label.", ".labels.")
            for name in query.get("aggregation.groupByFields", [])
        }
        reducer = _one(query, "aggregation.crossSeriesReducer") or "REDUCE_NONE"
        if reducer not in REDUCERS:
            raise _Refused(f"Field aggregation.crossSeriesReducer had an invalid value: {reducer}")
        if reducer != "REDUCE_NONE" and period is None:
            raise _Refused("A cross-series reducer needs an alignment period and an aligner")
        merged: dict[Labels, Points] = {}
        for labels, points in raw.items():
            key = (
                tuple((name, value) for name, value in labels if name in groups)
                if reducer == "REDUCE_SUM"
                else labels
            )
            for ended, tally in points.items():
                _add(merged.setdefault(key, {}), ended, tally)
        sample = behaviour.monitoring_sample_seconds
        return [
            _rendered(labels, metric, points, end, period, sample)
            for labels, points in merged.items()
        ]


def _add(points: Points, at: datetime, tally: NDArray[np.float64]) -> None:
    """``tally`` added to the point at ``at``."""
    points[at] = points[at] + tally if at in points else tally


def _metric_type(text: str) -> str:
    """The one metric type a filter names (raises _Refused, as the API does, without one)."""
    named = {str(found) for found in _METRIC_TYPE.findall(text)}
    if len(named) != 1:
        raise _Refused(
            "Field filter had an invalid value: a filter must name exactly one metric.type"
        )
    return named.pop()


def _described(labels: Labels, metric: str) -> dict[str, Any]:
    """A series as the filter sees it: ``metric.type``, ``resource.type`` and the labels
    (``resource.labels.x`` and ``resource.label.x`` alike)."""
    series: dict[str, Any] = {
        "metric": {"type": metric, "labels": {}},
        "resource": {"type": RESOURCE, "labels": {}},
    }
    for name, value in labels:
        kind, _, key = name.partition(".labels.")
        series[kind]["labels"][key] = value
    for kind in ("metric", "resource"):
        series[kind]["label"] = series[kind]["labels"]
    return series


def _rendered(  # noqa: PLR0917 - a series, and how its points are aligned
    labels: Labels,
    metric: str,
    points: Points,
    end: datetime,
    period: float | None,
    sample: float,
) -> dict[str, Any]:
    """One time series in the API's JSON: its labels, and its points newest first, aligned on
    periods counted back from ``end`` (or the raw samples of ``sample`` seconds, unaligned): a
    count each for request_count, a distribution each for request_latencies."""
    described = _described(labels, metric)
    for kind in ("metric", "resource"):
        del described[kind]["label"]
    aligned: Points = {}
    if period is None:
        for ended, tally in points.items():
            _add(aligned, ended, tally)
        width = sample
    else:
        for ended, tally in points.items():
            back = math.floor((end - ended).total_seconds() / period + 1e-9)
            _add(aligned, end - timedelta(seconds=back * period), tally)
        width = period
    counts = metric == REQUEST_COUNT
    return {
        **described,
        "metricKind": "DELTA",
        "valueType": "INT64" if counts else "DISTRIBUTION",
        **({} if counts else {"unit": "ms"}),
        "points": [
            {
                "interval": {
                    "startTime": _stamp(last - timedelta(seconds=width)),
                    "endTime": _stamp(last),
                },
                "value": {"int64Value": str(count_of(tally))}
                if counts
                else {"distributionValue": distribution_of(tally)},
            }
            for last, tally in sorted(aligned.items(), reverse=True)
        ],
    }


def _alignment(query: Mapping[str, list[str]]) -> float | None:
    """The alignment period in seconds (None: the raw samples); raises _Refused."""
    aligner = _one(query, "aggregation.perSeriesAligner") or "ALIGN_NONE"
    text = _one(query, "aggregation.alignmentPeriod")
    if aligner == "ALIGN_NONE":
        return None
    if aligner not in ALIGNERS:
        raise _Refused(f"Field aggregation.perSeriesAligner had an invalid value: {aligner}")
    seconds = float(text.removesuffix("s")) if re.fullmatch(r"\d+(\.\d+)?s", text) else 0.0
    if seconds < MIN_ALIGNMENT_SECONDS:
        raise _Refused(
            f"Field aggregation.alignmentPeriod had an invalid value of {text or 'none'!r}: "
            f"the alignment period must be at least {MIN_ALIGNMENT_SECONDS} seconds"
        )
    return seconds


def _one(query: Mapping[str, list[str]], name: str) -> str:
    values = query.get(name) or [""]
    return values[0]


def _integer(query: Mapping[str, list[str]], name: str, default: int) -> int:
    text = _one(query, name)
    return int(text) if text.isdigit() else default


def _time(query: Mapping[str, list[str]], name: str) -> datetime | None:
    text = _one(query, name)
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as err:
        raise _Refused(f"Field {name} had an invalid value: {text!r}") from err


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def start_monitoring_api(log: LogStore) -> tuple[JsonServer, MonitoringApi]:
    """Serve the local Monitoring API over ``log``."""
    api = MonitoringApi(log)
    return JsonServer(api, "sandbox-monitoring-api"), api
