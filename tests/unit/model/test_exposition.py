"""Snapshot lookups: values by labels, and the closest names for a misspelt one."""

from __future__ import annotations

from prometheus_client import generate_latest

from cloudrun_acceptance.metrics.exposition import parse_exposition


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
