"""What promtool check metrics would flag, found on parsed families."""

from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from cloudrun_acceptance.metrics.exposition import parse_exposition
from cloudrun_acceptance.metrics.lint import Finding, lint
from tests.paths import EXPOSITIONS


def findings(body: str) -> list[str]:
    return [str(finding) for finding in lint(parse_exposition(body))]


def test_prometheus_client_output_is_clean():
    registry = CollectorRegistry()
    Counter("jobs_total", "Jobs", ["kind"], registry=registry).labels("a").inc()
    Gauge("queue", "Queue", registry=registry).set(1)
    Histogram("latency_seconds", "Latency", ["route"], registry=registry).labels("/").observe(0.3)
    assert lint(parse_exposition(generate_latest(registry).decode())) == []


def test_counter_without_total_suffix():
    assert findings("# HELP jobs Jobs.\n# TYPE jobs counter\njobs 1\n") == [
        'jobs: counter metrics should have "_total" suffix'
    ]


def test_missing_help():
    assert findings("# TYPE queue gauge\nqueue 1\n") == ["queue: no help text"]


def test_duplicate_series():
    body = '# HELP q Q.\n# TYPE q gauge\nq{a="1"} 1\nq{a="1"} 2\n'
    assert findings(body) == ['q: duplicate series q{a="1"}']


def test_duplicate_family():
    body = '# HELP a A.\n# TYPE a gauge\na 1\n# HELP b B.\n# TYPE b gauge\nb 1\n# HELP a A.\n# TYPE a gauge\na{x="y"} 1\n'
    assert findings(body) == ["a: family is declared more than once"]


HISTOGRAM_HEAD = "# HELP d D.\n# TYPE d histogram\n"


def test_histogram_without_inf_bucket():
    body = HISTOGRAM_HEAD + 'd_bucket{le="0.1"} 1\nd_bucket{le="1"} 2\nd_count 2\nd_sum 1\n'
    assert findings(body) == ["d: histogram has no +Inf bucket"]


def test_histogram_not_cumulative():
    body = (
        HISTOGRAM_HEAD
        + 'd_bucket{le="0.1"} 3\nd_bucket{le="1"} 2\nd_bucket{le="+Inf"} 3\nd_count 3\nd_sum 1\n'
    )
    assert findings(body) == ["d: histogram buckets are not cumulative"]


def test_histogram_count_differs_from_inf_bucket_per_series():
    body = HISTOGRAM_HEAD + (
        'd_bucket{r="a",le="1"} 1\nd_bucket{r="a",le="+Inf"} 2\nd_count{r="a"} 5\nd_sum{r="a"} 1\n'
        'd_bucket{r="b",le="1"} 1\nd_bucket{r="b",le="+Inf"} 1\nd_count{r="b"} 1\nd_sum{r="b"} 1\n'
    )
    assert findings(body) == ['d: histogram {r="a"}: _count 5 differs from the +Inf bucket 2']


def test_findings_are_values():
    assert Finding("a", "b") == Finding("a", "b")
    assert str(Finding("a", "no help text")) == "a: no help text"


# One case per promtool rule: the exposition, and the finding promtool 2.42 prints for it.
PROMTOOL_RULES = [
    ("# HELP x X.\n# TYPE x counter\nx 1\n", 'x: counter metrics should have "_total" suffix'),
    (
        "# HELP q_total Q.\n# TYPE q_total gauge\nq_total 1\n",
        'q_total: non-counter metrics should not have "_total" suffix',
    ),
    ("# TYPE q gauge\nq 1\n", "q: no help text"),
    (
        "# HELP a_counter_total A.\n# TYPE a_counter_total counter\na_counter_total 1\n",
        "a_counter_total: metric name should not include type 'counter'",
    ),
    (
        "# HELP t_gauge T.\n# TYPE t_gauge gauge\nt_gauge 1\n",
        "t_gauge: metric name should not include type 'gauge'",
    ),
    (
        "# HELP httpRequests_total R.\n# TYPE httpRequests_total counter\nhttpRequests_total 1\n",
        "httpRequests_total: metric names should be written in 'snake_case' not 'camelCase'",
    ),
    (
        '# HELP r_total R.\n# TYPE r_total counter\nr_total{statusCode="200"} 1\n',
        "r_total: label names should be written in 'snake_case' not 'camelCase'",
    ),
    (
        "# HELP latency_ms L.\n# TYPE latency_ms gauge\nlatency_ms 1\n",
        "latency_ms: metric names should not contain abbreviated units",
    ),
    (
        "# HELP d_milliseconds D.\n# TYPE d_milliseconds gauge\nd_milliseconds 1\n",
        'd_milliseconds: use base unit "seconds" instead of "milliseconds"',
    ),
    (
        "# HELP c_kilobytes C.\n# TYPE c_kilobytes gauge\nc_kilobytes 1\n",
        'c_kilobytes: use base unit "bytes" instead of "kilobytes"',
    ),
    (
        "# HELP w_sum W.\n# TYPE w_sum gauge\nw_sum 1\n",
        'w_sum: non-histogram and non-summary metrics should not have "_sum" suffix',
    ),
    (
        "# HELP w_count W.\n# TYPE w_count gauge\nw_count 1\n",
        'w_count: non-histogram and non-summary metrics should not have "_count" suffix',
    ),
    (
        "# HELP w_bucket W.\n# TYPE w_bucket summary\nw_bucket_sum 1\nw_bucket_count 1\n",
        'w_bucket: non-histogram metrics should not have "_bucket" suffix',
    ),
    (
        '# HELP g G.\n# TYPE g gauge\ng{le="1"} 1\n',
        'g: non-histogram metrics should not have "le" label',
    ),
    (
        '# HELP g G.\n# TYPE g gauge\ng{quantile="0.5"} 1\n',
        'g: non-summary metrics should not have "quantile" label',
    ),
    (
        "# HELP job:rate5m J.\n# TYPE job:rate5m gauge\njob:rate5m 1\n",
        "job:rate5m: metric names should not contain ':'",
    ),
]


@pytest.mark.parametrize(
    ("body", "finding"), PROMTOOL_RULES, ids=[f.split(": ", 1)[1] for _, f in PROMTOOL_RULES]
)
def test_each_promtool_rule(body, finding):
    assert findings(body) == [finding]


@pytest.mark.parametrize("name", ["prometheus", "node_exporter", "promtool_rules"])
def test_lint_agrees_with_promtool_on_recorded_expositions(name):
    text = (EXPOSITIONS / f"{name}.txt").read_text()
    promtool = (EXPOSITIONS / f"{name}.promtool").read_text().splitlines()
    expected = sorted({line.replace(" ", ": ", 1) for line in promtool if line.strip()})
    assert findings(text) == expected


def test_a_gauge_beside_a_counter_of_the_same_stem_is_clean():
    body = (
        "# HELP mem_alloc_bytes In use.\n# TYPE mem_alloc_bytes gauge\nmem_alloc_bytes 5\n"
        "# HELP mem_alloc_bytes_total Allocated.\n# TYPE mem_alloc_bytes_total counter\n"
        "mem_alloc_bytes_total 9\n"
    )
    assert findings(body) == []


def test_openmetrics_counters_are_declared_without_total():
    body = "# HELP jobs Jobs.\n# TYPE jobs counter\njobs_total 1.0\n# EOF\n"
    assert lint(parse_exposition(body, "application/openmetrics-text; version=1.0.0")) == []
