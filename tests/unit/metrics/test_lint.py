"""What promtool check metrics would flag, found on parsed families."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from cloudrun_acceptance.metrics.exposition import parse_exposition
from cloudrun_acceptance.metrics.lint import Finding, lint


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
