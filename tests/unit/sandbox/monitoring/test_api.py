"""The local Monitoring API's timeSeries.list: Cloud Run's request counts from the request log,
in whole sample periods, aligned back from the end time and summed per group, refusing what the
API refuses."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from cloudrun_acceptance.sandbox.faults.profiles import behaviour_for
from cloudrun_acceptance.sandbox.monitoring.api import MonitoringApi
from cloudrun_acceptance.sandbox.platform.deployment import LogStore, plan_deployment
from cloudrun_acceptance.sandbox.platform.jsonserver import Request

T0 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
FILTER = 'metric.type = "run.googleapis.com/request_count" AND resource.type = "cloud_run_revision"'


def api_with(**behaviour) -> MonitoringApi:
    deployment = plan_deployment(behaviour_for([]), {}, (), {}, 0.0)
    if behaviour:
        deployment = replace(deployment, behaviour=replace(deployment.behaviour, **behaviour))
    log = LogStore(deployment)
    # 10 requests a second for 100 s to revision a, one in ten a 503; 2 a second to b.
    for tenth in range(1000):
        when = T0 + timedelta(seconds=tenth / 10)
        log.request("GET", "http://x/", 503 if tenth % 10 == 0 else 200, 0.01, "u", "a", when)
        if tenth % 5 == 0:
            log.request("GET", "http://x/", 200, 0.01, "u", "b", when)
    log.output("a line, no request")
    return MonitoringApi(log)


def listed(api: MonitoringApi, **query) -> tuple[int, dict]:
    query = {"filter": FILTER} | query
    values = {key.replace("_", "."): value for key, value in query.items()}
    lists = {
        key: value if isinstance(value, list) else [str(value)] for key, value in values.items()
    }
    return api(Request("GET", "/v3/projects/sandbox-project/timeSeries", lists, None, ""))


def stamp(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def test_requests_are_summed_per_revision_and_class_over_aligned_minutes():
    status, page = listed(
        api_with(),
        interval_startTime=stamp(T0),
        interval_endTime=stamp(T0 + timedelta(seconds=150)),
        aggregation_alignmentPeriod="60s",
        aggregation_perSeriesAligner="ALIGN_DELTA",
        aggregation_crossSeriesReducer="REDUCE_SUM",
        aggregation_groupByFields=[
            "resource.labels.revision_name",
            "metric.labels.response_code_class",
        ],
    )
    assert status == 200
    found = {}
    for series in page["timeSeries"]:
        key = (
            series["resource"]["labels"]["revision_name"],
            series["metric"]["labels"]["response_code_class"],
        )
        assert set(series["resource"]["labels"]) == {"revision_name"}  # the groups only
        points = series["points"]
        ends = [point["interval"]["endTime"] for point in points]
        assert ends == sorted(ends, reverse=True)  # newest first
        found[key] = [int(point["value"]["int64Value"]) for point in points]
    # Periods back from 10:02:30: (10:01:30, 10:02:30], (10:00:30, 10:01:30], (09:59:30, 10:00:30];
    # 1-s samples ending at 10:00:01 to 10:01:40 (the first one starts at the interval's start).
    assert found[("a", "2xx")] == [90, 540, 270]
    assert found[("a", "5xx")] == [10, 60, 30]
    assert found[("b", "2xx")] == [20, 120, 60]
    assert sum(map(sum, found.values())) == 1000 + 200


def test_the_filter_selects_the_series_and_the_delay_hides_the_newest_samples():
    now = datetime.now(UTC)
    api = api_with(monitoring_delay_seconds=60.0)
    api.log.request("GET", "http://x/", 200, 0.01, "u", "a", now)  # its sample still hidden
    query = {
        "filter": FILTER + ' AND resource.labels.revision_name = "a"',
        "interval_startTime": stamp(T0),
        "interval_endTime": stamp(now + timedelta(seconds=5)),
    }
    status, page = listed(api, **query)
    assert status == 200
    names = {series["resource"]["labels"]["revision_name"] for series in page["timeSeries"]}
    assert names == {"a"}
    # Unaligned: each raw 1-s sample of each response code is a point of its own; the newest
    # one is not there yet.
    points = [point for series in page["timeSeries"] for point in series["points"]]
    assert len(points) == 100 + 100
    first = points[-1]["interval"]
    assert (first["startTime"], first["endTime"]) == (
        "2026-12-07T10:00:00.000000Z",
        "2026-12-07T10:00:01.000000Z",
    )
    assert sum(int(point["value"]["int64Value"]) for point in points) == 1000


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"filter": ""}, "a filter is required"),
        ({}, "interval.endTime had an invalid value: it is required"),
        (
            {"aggregation_alignmentPeriod": "30s", "aggregation_perSeriesAligner": "ALIGN_DELTA"},
            "the alignment period must be at least 60 seconds",
        ),
        (
            {"aggregation_alignmentPeriod": "60s", "aggregation_perSeriesAligner": "ALIGN_RATE"},
            "perSeriesAligner had an invalid value: ALIGN_RATE",
        ),
        ({"aggregation_crossSeriesReducer": "REDUCE_SUM"}, "needs an alignment period"),
        ({"filter": FILTER + " AND one_of(x)"}, "unknown function one_of()"),
    ],
)
def test_what_the_api_refuses_is_refused_with_400(query, message):
    if query.get("filter", FILTER) and "interval_endTime" not in query and query != {}:
        query = {"interval_endTime": stamp(T0)} | query
    status, answer = listed(api_with(), **query)
    assert (status, answer["error"]["status"]) == (400, "INVALID_ARGUMENT")
    assert message in answer["error"]["message"]


def test_a_denied_caller_gets_403_and_another_project_404():
    assert listed(api_with(monitoring_api_status=403))[0] == 403
    api = api_with()
    other = api(Request("GET", "/v3/projects/elsewhere/timeSeries", {}, None, ""))
    assert other[0] == 404


LATENCIES = (
    'metric.type = "run.googleapis.com/request_latencies" AND resource.type = "cloud_run_revision"'
)


def test_latencies_are_a_distribution_of_the_requests_in_ms_summed_per_revision():
    status, page = listed(
        api_with(),
        filter=LATENCIES,
        interval_startTime=stamp(T0),
        interval_endTime=stamp(T0 + timedelta(seconds=120)),
        aggregation_alignmentPeriod="120s",
        aggregation_perSeriesAligner="ALIGN_DELTA",
        aggregation_crossSeriesReducer="REDUCE_SUM",
        aggregation_groupByFields=["resource.labels.revision_name"],
    )
    assert status == 200, page
    series = {s["resource"]["labels"]["revision_name"]: s for s in page["timeSeries"]}
    assert series["a"]["valueType"] == "DISTRIBUTION" and series["a"]["unit"] == "ms"
    (point,) = series["a"]["points"]
    value = point["value"]["distributionValue"]
    # Every request of a in the 100 s (1-s samples, each ended after T0), 10 ms each.
    assert value["count"] == "1000"
    assert abs(value["mean"] - 10.0) < 1e-6
    options = value["bucketOptions"]["exponentialBuckets"]
    bucket = next(i for i, count in enumerate(value["bucketCounts"]) if count != "0")
    low = options["scale"] * options["growthFactor"] ** (bucket - 1)
    high = options["scale"] * options["growthFactor"] ** bucket
    assert low <= 10.0 < high and value["bucketCounts"][bucket] == "1000"
    assert series["b"]["points"][0]["value"]["distributionValue"]["count"] == "200"


def test_a_filter_names_exactly_one_metric_type():
    for text in ('resource.type = "cloud_run_revision"', f"({FILTER}) OR ({LATENCIES})"):
        status, page = listed(api_with(), filter=text, interval_endTime=stamp(T0))
        assert (status, page["error"]["status"]) == (400, "INVALID_ARGUMENT")
        assert "exactly one metric.type" in page["error"]["message"]
    unknown = 'metric.type = "run.googleapis.com/container/cpu/utilizations"'
    status, page = listed(api_with(), filter=unknown, interval_endTime=stamp(T0))
    assert (status, page) == (200, {"timeSeries": []})
