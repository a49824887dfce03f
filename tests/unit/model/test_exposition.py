"""Snapshot lookups: values by labels (and by a counting sample's own name), and the closest
names for a misspelt one."""

from __future__ import annotations

from prometheus_client import generate_latest

from cloudrun_acceptance.metrics.exposition import parse_exposition
from cloudrun_acceptance.model.exposition import counter_hint


def test_value_sums_the_series_matching_the_labels(registry):
    snapshot = parse_exposition(generate_latest(registry).decode())
    assert snapshot.value("analysis_success_total", {"provider": "neo"}) == 3.0
    assert snapshot.value("analysis_success_total") == 5.0
    assert snapshot.value("analysis_success_total", {"provider": "nobody"}) == 0.0
    assert snapshot.value("cache_size") == 7.0
    assert snapshot.value("duration_seconds") == 1.0  # a histogram's value is its _count
    assert snapshot.value("not_there_total") is None


def test_closest_names_suggest_a_rename(registry):
    snapshot = parse_exposition(generate_latest(registry).decode())
    assert snapshot.closest("analysis_sucess_total")[0] == "analysis_success_total"
    assert snapshot.closest("completely_different") == []


# A Go server's exposition: a summary and a histogram, a counter and its creation time.
SUMMARY = """# HELP rpc_seconds RPC latency.
# TYPE rpc_seconds summary
rpc_seconds{quantile="0.5"} 0.1
rpc_seconds_sum{method="get"} 2.5
rpc_seconds_count{method="get"} 12
rpc_seconds_sum{method="put"} 1.5
rpc_seconds_count{method="put"} 3
# HELP wait_seconds Waits.
# TYPE wait_seconds histogram
wait_seconds_bucket{le="0.1"} 2
wait_seconds_bucket{le="+Inf"} 5
wait_seconds_sum 0.9
wait_seconds_count 5
# HELP jobs_total Jobs.
# TYPE jobs_total counter
jobs_total 7
jobs_created 1.7e9
"""


def test_a_counting_sample_of_a_summary_or_histogram_is_read_by_its_own_name():
    snapshot = parse_exposition(SUMMARY)
    assert snapshot.value("rpc_seconds_count") == 15.0
    assert snapshot.value("rpc_seconds_count", {"method": "put"}) == 3.0
    assert snapshot.value("rpc_seconds_sum", {"method": "get"}) == 2.5
    assert snapshot.value("wait_seconds_bucket", {"le": "0.1"}) == 2.0
    assert snapshot.value("wait_seconds_count") == snapshot.value("wait_seconds") == 5.0
    assert snapshot.value("rpc_seconds_bucket") is None  # a summary has no buckets
    assert snapshot.family("rpc_seconds_count") is None  # a sample, not a family


def test_a_name_that_reads_nothing_gets_the_name_to_give_instead():
    snapshot = parse_exposition(SUMMARY)
    assert counter_hint(snapshot, "jobs_created") == (
        "jobs_created is the time jobs_total was created, not a count: name jobs_total"
    )
    assert counter_hint(snapshot, "rpc_seconds_created") == (
        "rpc_seconds_created is the time rpc_seconds was created, not a count: name "
        "rpc_seconds_count"
    )
    assert counter_hint(snapshot, "rpc_second_count") == (
        "closest names exposed: rpc_seconds_count, rpc_seconds_sum, wait_seconds_count"
    )
    assert counter_hint(snapshot, "nothing_alike") == (
        "no similar name among the 3 families exposed"
    )
