"""Parsing: prometheus_client's quirks handled, and never trusting that it parsed."""

from __future__ import annotations

import pytest
from prometheus_client import generate_latest
from prometheus_client.openmetrics.exposition import generate_latest as generate_openmetrics

from cloudrun_acceptance.metrics.exposition import parse_exposition
from cloudrun_acceptance.model.errors import ExpositionError
from tests.paths import EXPOSITIONS


def test_counter_family_drops_total_and_finds_both_spellings(registry):
    snapshot = parse_exposition(generate_latest(registry).decode())
    family = snapshot.family("analysis_success_total")
    assert family is not None
    assert family.name == "analysis_success"
    assert family.type == "counter"
    assert snapshot.family("analysis_success") is family


def test_created_families_are_left_out(registry):
    snapshot = parse_exposition(generate_latest(registry).decode())
    assert not [name for name in snapshot.families if name.endswith("_created")]
    assert "analysis_success_total" in snapshot.names()


def test_untouched_labelled_counter_is_present_with_no_samples(registry):
    snapshot = parse_exposition(generate_latest(registry).decode())
    family = snapshot.family("analysis_failures_total")
    assert family is not None
    assert family.samples == []
    assert snapshot.value("analysis_failures_total", {"provider": "neo"}) == 0.0


def test_counter_declared_without_total_is_still_found():
    snapshot = parse_exposition("# HELP jobs Jobs.\n# TYPE jobs counter\njobs 4\n")
    assert snapshot.value("jobs_total") == 4.0
    assert snapshot.declared == {"jobs": "counter"}


def test_fingerprint_tells_instances_apart(registry):
    snapshot = parse_exposition(generate_latest(registry).decode())
    assert snapshot.fingerprint == "process_start_time_seconds=1700000000.5"
    assert parse_exposition("# TYPE up gauge\nup 1\n").fingerprint is None
    labelled = parse_exposition(
        '# TYPE instance_info gauge\ninstance_info{id="a1"} 1\n', fingerprint_metric="instance_info"
    )
    assert labelled.fingerprint == 'instance_info{id="a1"}=1'


@pytest.mark.parametrize(
    "body",
    ["", "\n", "# Metrics disabled. Set CONCEPT_RECALL_METRICS_ENABLED=true to enable.\n"],
    ids=["empty", "blank", "disabled-comment"],
)
def test_empty_or_comment_only_parses_to_zero_families(body):
    assert parse_exposition(body).families == {}


def test_html_is_not_an_exposition():
    with pytest.raises(ExpositionError, match="not a Prometheus exposition"):
        parse_exposition("<!doctype html><html><body>Sign in</body></html>")


def test_ok_1_parses_as_an_untyped_family():
    # Why the gate never trusts "it parsed": this is a valid sample to the parser.
    snapshot = parse_exposition("ok 1\n")
    assert snapshot.families["ok"].type == "unknown"


def test_openmetrics_content_type_uses_the_openmetrics_parser(registry):
    body = generate_openmetrics(registry).decode()
    snapshot = parse_exposition(body, "application/openmetrics-text; version=1.0.0; charset=utf-8")
    assert snapshot.value("analysis_success_total", {"provider": "neo"}) == 3.0
    assert snapshot.family("analysis_success_total").type == "counter"


def test_duplicate_families_are_merged_and_remembered():
    body = '# TYPE a gauge\na 1\n# TYPE b gauge\nb 2\n# TYPE a gauge\na{x="1"} 3\n'
    snapshot = parse_exposition(body)
    assert snapshot.duplicates == ("a",)
    assert snapshot.value("a") == 4.0


def test_a_gauge_and_a_counter_of_the_same_stem_stay_two_families():
    # Every Go exporter has such pairs; prometheus_client names both families "x".
    text = (EXPOSITIONS / "prometheus.txt").read_text()
    snapshot = parse_exposition(text)
    gauge = snapshot.family("go_memstats_alloc_bytes")
    counter = snapshot.family("go_memstats_alloc_bytes_total")
    assert gauge is not None and gauge.type == "gauge"
    assert counter is not None and counter.type == "counter"
    assert snapshot.duplicates == ()
    assert snapshot.value("go_memstats_alloc_bytes_total") == float(
        next(
            line.split()[1]
            for line in text.splitlines()
            if line.startswith("go_memstats_alloc_bytes_total ")
        )
    )
    assert snapshot.value("go_memstats_alloc_bytes") != snapshot.value(
        "go_memstats_alloc_bytes_total"
    )


@pytest.mark.parametrize("name", ["prometheus", "node_exporter"])
def test_every_declared_family_of_a_real_exporter_is_found_with_its_type(name):
    text = (EXPOSITIONS / f"{name}.txt").read_text()
    snapshot = parse_exposition(text)
    declared = [line.split()[2:4] for line in text.splitlines() if line.startswith("# TYPE ")]
    assert len(declared) == len(snapshot.families)
    for metric, kind in declared:
        family = snapshot.family(metric)
        assert family is not None and family.type == kind.replace("untyped", "unknown"), metric
