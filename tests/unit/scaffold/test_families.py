"""The drafting rules of the metrics section: what a freshly started instance exposes is
required; the runtime's and client library's families, and those that appeared late, are listed
commented out; min_present is below the count, saying why."""

from __future__ import annotations

import pytest
import yaml

from cloudrun_acceptance.metrics.exposition import parse_exposition
from cloudrun_acceptance.model.contract import ExpectedMetric
from cloudrun_acceptance.scaffold.cli import main
from cloudrun_acceptance.scaffold.families import (
    LIBRARY_PREFIXES,
    families_seen,
    is_library,
    least_present,
)
from cloudrun_acceptance.scaffold.metrics_draft import metrics_section
from cloudrun_acceptance.scaffold.read import MetricsSeen
from tests.paths import EXPOSITIONS

PROMETHEUS = (EXPOSITIONS / "prometheus.txt").read_text()
STARTED = 1.79571576908e09  # its process_start_time_seconds

FRESH = """# TYPE process_start_time_seconds gauge
process_start_time_seconds 1000
# TYPE jobs_total counter
# TYPE rpc_seconds summary
rpc_seconds_count 0
rpc_seconds_sum 0
# TYPE dropped gauge
dropped 1
"""
LATER = """# TYPE process_start_time_seconds gauge
process_start_time_seconds 1000
# TYPE jobs_total counter
jobs_total{kind="a"} 1
# TYPE rpc_seconds summary
rpc_seconds_count 0
rpc_seconds_sum 0
# TYPE head_series gauge
head_series 42
"""


def section(families, pause=5.0):
    return metrics_section(MetricsSeen("/metrics", "http://svc/metrics", families, "", pause), None)


def test_the_prometheus_servers_runtime_and_library_families_are_not_required():
    seen = families_seen(parse_exposition(PROMETHEUS, scraped_at=STARTED + 11_520))
    prefixes = {name.split("_")[0] for name in (m.name for m in seen.library)}
    assert prefixes == {"go", "process", "promhttp", "net"}
    assert len(seen.library) == 42 and len(seen.required) == 123
    assert all(m.name.startswith("prometheus_") for m in seen.required)
    assert least_present(123) == 110
    lines = section(seen, pause=None)
    assert lines[0] == "metrics:                   # read from http://svc/metrics"
    text = "\n".join(lines)
    assert (
        "  # The instance read had been up 3 h 12 min: a family it registers after its start"
        in text
    )
    assert (
        "    # the runtime's and the client library's own (go_*, net_conntrack_*, process_*,"
        in (text)
    )
    assert "    # - {name: go_goroutines, type: gauge}" in text
    assert "  # The aggregate check: at least 110 of the 123 above." in text
    contract = yaml.safe_load(text)["metrics"]
    assert len(contract["expected"]) == 123 and contract["min_present"] == 110


def test_families_that_appear_late_or_go_are_listed_commented_out_with_why():
    seen = families_seen(parse_exposition(FRESH, scraped_at=1030), parse_exposition(LATER))
    assert seen.required == (
        ExpectedMetric("jobs_total", "counter", ("kind",)),  # labels from either scrape
        ExpectedMetric("rpc_seconds", "summary"),
    )
    assert seen.late == (ExpectedMetric("head_series", "gauge"),)
    assert seen.first_only == (ExpectedMetric("dropped", "gauge"),)
    assert seen.uptime == 30 and not seen.two_instances
    lines = section(seen)
    assert lines[0] == "metrics:                   # read from http://svc/metrics, twice, 5 s apart"
    assert lines[lines.index("    - {name: rpc_seconds, type: summary}") + 1 :] == [
        "    # appeared late: absent from the first scrape, present 5 s later; a fresh instance lacks",
        "    # them at first (uncomment to require them):",
        "    # - {name: head_series, type: gauge}",
        "    # in the first scrape only, not in the second 5 s later (uncomment to require them):",
        "    # - {name: dropped, type: gauge}",
        "    # the runtime's and the client library's own (process_*): they change with its version, not",
        "    # with the service (uncomment to require them):",
        "    # - {name: process_start_time_seconds, type: gauge}",
        "  # The aggregate check: at least 1 of the 2 above. A missing family fails its own case; this",
        "  # one fails when more than 1 are missing at once (a registry not wired, a broad rename), not",
        "  # again on one family a fresh instance registers late.",
        "  min_present: 1",
    ]
    assert "had been up" not in "\n".join(lines)  # 30 s: a fresh instance


@pytest.mark.parametrize(
    ("count", "least"), [(0, 0), (1, 1), (2, 1), (10, 9), (11, 9), (13, 11), (123, 110)]
)
def test_min_present_allows_one_family_in_ten_to_be_missing(count, least):
    assert least_present(count) == least


def test_every_prefix_of_the_table_is_a_library_and_a_service_family_is_not():
    assert all(is_library(f"{prefix}x") for prefix in LIBRARY_PREFIXES)
    assert not is_library("processing_jobs_total")
    assert not is_library("prometheus_http_requests_total")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--from-url=http://svc", "--rescrape-after=61"],
            "--rescrape-after 61 is out of range: give 0 (one scrape) to 60 seconds",
        ),
        (["--rescrape-after=1"], "--rescrape-after goes with --from-url"),
    ],
)
def test_the_pause_between_the_scrapes_is_bounded(arguments, message, tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["init", str(tmp_path), *arguments])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.endswith(f"cloudrun-acceptance: error: {message}\n")
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_a_second_scrape_from_another_instance_says_so():
    other = LATER.replace("process_start_time_seconds 1000", "process_start_time_seconds 2000")
    seen = families_seen(parse_exposition(FRESH), parse_exposition(other))
    assert seen.two_instances
    text = "\n".join(section(seen))
    assert (
        "    # absent from the first scrape, present in the second, 5 s later, which came from"
        in (text)
    )
    assert (
        "    # in the first scrape only, not in the second 5 s later; the second came from" in text
    )
