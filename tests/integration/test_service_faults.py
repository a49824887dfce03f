"""The gate against the sandbox: a good deployment passes; each service fault fails exactly the
checks it should, with the message an operator needs, and every other check passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.gatekit import (
    ANALYSIS,
    CACHE,
    COMPARE_UNASKED,
    COVERAGE,
    ENABLED,
    HEALTH,
    HTTP_CHECKS,
    LINT,
    NEEDS_EXPOSITION,
    NO_5XX,
    PRESENCE,
    STARTUP,
    STARTUP_COUNT,
    UNASKED,
    compare_skips,
    edit_contract,
    env_var,
    presence,
    run_gate,
)


def test_good_sandbox_passes_every_check(gate_dir):
    run = run_gate(gate_dir, "--sandbox")
    run.expect()
    assert run.result.ret == 0
    assert {HEALTH, ENABLED, COVERAGE, ANALYSIS, CACHE} | PRESENCE <= run.passed
    run.result.stdout.fnmatch_lines(
        [
            "cloudrun-acceptance *: http://127.0.0.1:* (from --sandbox)",
            "  contract: *contract.yaml (sha256 *)",
            "  test session: sandbox-session (from the sandbox's pre-seeded session)",
        ]
    )
    assert list(Path(gate_dir.path, "reports").glob("emergence-app-00003-abc-*.xml"))


def test_passing_checks_keep_their_figures(gate_dir):
    run = run_gate(gate_dir, "--sandbox")
    assert run.verdicts[COVERAGE]["figures"]["present"] == "13/13"
    counters = run.verdicts[ANALYSIS]["figures"]
    assert (
        counters['memory_analysis_success_total{provider="neo_analysis"} before/after'] == "0 -> 1"
    )
    assert counters["memory_analysis_cache_misses_total before/after"] == "0 -> 1"
    cache = run.verdicts[CACHE]["figures"]
    assert cache["memory_analysis_cache_hits_total before/after"] == "0 -> 3"
    assert len(cache["samples (s)"].split(", ")) == 3


def test_metrics_disabled_names_the_variable_to_set(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "metrics_disabled")
    # The symptom (metrics) and the cause (the variable is missing from the revision) both fail.
    run.expect(
        failed={ENABLED, env_var("CONCEPT_RECALL_METRICS_ENABLED")} | STARTUP,
        errors=NEEDS_EXPOSITION,
    )
    run.result.stdout.fnmatch_lines(
        [
            "metrics are disabled: http://127.0.0.1:*/api/metrics answered 200 with no metric family",
            "    body: '# Metrics disabled. Set CONCEPT_RECALL_METRICS_ENABLED=true to enable.'",
            "What to do: set CONCEPT_RECALL_METRICS_ENABLED=true on the revision*",
            "cloudrun-acceptance: 17 checks not checked: http://127.0.0.1:*/api/metrics gave no "
            "usable exposition (no metric family); see test_metrics_enabled",
        ]
    )
    assert run.result.ret == 1


def test_html_at_the_metrics_path_shows_status_type_and_body(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "metrics_html")
    run.expect(failed={ENABLED}, errors=NEEDS_EXPOSITION)
    run.result.stdout.fnmatch_lines(
        [
            "*/api/metrics answered content type text/html, not a Prometheus exposition*",
            "  GET http://127.0.0.1:*/api/metrics -> 200 OK in * s, text/html; charset=utf-8",
            "    body: '<!doctype html><html><head><title>Emergence</title>*",
        ]
    )


def test_metrics_moved_is_a_404_with_the_path_to_check(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "metrics_404")
    run.expect(failed={ENABLED}, errors=NEEDS_EXPOSITION)
    run.result.stdout.fnmatch_lines(
        [
            "*/api/metrics answered 404, expected 200 with a Prometheus exposition",
            '    body: \'{"detail":"Not Found"}\'',
            "What to do: the metrics route moved or is not mounted: check metrics.path*",
        ]
    )


@pytest.mark.timeout(120)  # a hang fails here: the gate's own deadlines end the run first
def test_slow_metrics_fail_on_the_request_timeout_not_a_hang(gate_dir):
    edit_contract(gate_dir, "http", "timeout_seconds", 0.5)
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "metrics_slow")
    run.expect(failed={ENABLED}, errors=NEEDS_EXPOSITION)
    run.result.stdout.fnmatch_lines(
        [
            "*GET http://127.0.0.1:*/api/metrics -> no answer within 0.5 s (read timeout) (after 0.5* s)"
        ]
    )


def test_missing_metric_names_the_closest_present(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "metric_missing")
    # The app also logs "12 metrics registered", so that startup line fails too.
    run.expect(failed={presence("memory_analysis_cache_size"), STARTUP_COUNT})
    run.result.stdout.fnmatch_lines(
        [
            "memory_analysis_cache_size (gauge) is not exposed",
            "  closest names present: memory_analysis_cache_misses_total, "
            "memory_analysis_cache_hits_total, *",
            "  13 families present",
            "What to do: a misspelt or renamed metric is the usual cause*",
        ]
    )
    assert run.verdicts[COVERAGE]["figures"]["present"] == "12/13"


def test_counter_registered_as_gauge_fails_its_type(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "metric_wrong_type")
    # promtool flags it too: a gauge must not end in _total.
    run.expect(failed={presence("memory_analysis_cache_hits_total"), LINT})
    run.result.stdout.fnmatch_lines(
        [
            "memory_analysis_cache_hits_total is exposed as a gauge, the contract says counter",
            "1 lint finding(s) on the contract's metrics",
            '  memory_analysis_cache_hits_total: non-counter metrics should not have "_total" suffix',
        ]
    )


def test_stuck_counters_show_before_and_after(gate_dir):
    edit_contract(gate_dir, "analysis", "counter_deadline_seconds", 0.3)
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "counter_stuck")
    run.expect(failed={ANALYSIS, CACHE})
    run.result.stdout.fnmatch_lines(
        [
            "2 counter(s) did not increase within 0.3 s after POST /api/memory/analyze: "
            'memory_analysis_success_total{provider="neo_analysis"}, '
            "memory_analysis_cache_misses_total",
            '  memory_analysis_success_total{provider="neo_analysis"}: before 0, after 0 '
            "(+0, expected at least +1)",
            "  memory_analysis_cache_misses_total: before 0, after 0 (+0, expected at least +1)",
            "  read on instance process_start_time_seconds=*",
            '  POST http://127.0.0.1:*/api/memory/analyze {"force": true, "session_id": '
            '"sandbox-session"} -> 200 OK in *',
        ]
    )


def test_slow_cache_fails_the_budget_with_every_sample(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "cache_slow")
    run.expect(failed={CACHE})
    run.result.stdout.fnmatch_lines(
        [
            "the repeated POST /api/memory/analyze is not a fast cache hit: median 0.5* s over the "
            "0.3 s budget (samples: 0.5*, 0.5*, 0.5* s)"
        ]
    )


def test_absent_cache_shows_the_skipped_body_and_the_hit_counter(gate_dir):
    edit_contract(gate_dir, "analysis", "counter_deadline_seconds", 0.3)
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "cache_absent")
    run.expect(failed={CACHE})
    run.result.stdout.fnmatch_lines(
        [
            "*: memory_analysis_cache_hits_total did not increase: the answers did not come from "
            "the cache",
            "  memory_analysis_cache_hits_total: before 0, after 0 (+0, expected at least +1)",
            '*body: \'{"status":"skipped","reason":"already_analyzed"}\'',
        ]
    )


def test_failing_analysis_shows_the_500_and_skips_nothing_silently(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "analysis_500")
    run.expect(failed={ANALYSIS, NO_5XX}, errors={CACHE})
    run.result.stdout.fnmatch_lines(
        [
            "POST /api/memory/analyze answered 500, expected 2xx",
            "  POST http://127.0.0.1:*/api/memory/analyze * -> 500 Internal Server Error in *",
            '    body: \'{"detail":"Internal Server Error"}\'',
            "cloudrun-acceptance: 1 check not checked: the analysis call (POST /api/memory/analyze) "
            "did not succeed, so nothing is cached*",
        ]
    )


@pytest.mark.timeout(120)  # a hang fails here: the 1 s ready timeout ends the wait first
def test_health_503_fails_after_the_ready_timeout_and_the_rest_is_not_checked(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "health_503", "--ready-timeout", "1")
    # The 503s the gate received are request log entries of the revision, too.
    run.expect(failed={HEALTH, NO_5XX}, errors=HTTP_CHECKS)
    run.result.stdout.fnmatch_lines(
        [
            "the service did not answer http://127.0.0.1:*/api/health within the 1 s ready timeout*",
            "  last attempt: GET http://127.0.0.1:*/api/health -> 503 Service Unavailable in *",
            "cloudrun-acceptance: * checks not checked: the service is not answering (no usable "
            "answer within the 1 s ready timeout*",
        ]
    )


def test_health_redirect_is_a_failure_that_names_auth(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "health_redirect")
    run.expect(failed={HEALTH})
    run.result.stdout.fnmatch_lines(
        [
            "health redirected (302) instead of answering 200 with JSON",
            "  GET http://127.0.0.1:*/api/health -> 302 Found in * s, Location: /login",
            "What to do: a redirect to a login page means the service requires authentication*",
        ]
    )


def test_cold_start_is_waited_out_and_reported(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "cold_start")
    run.expect()
    # Refused while the instance started: the health wait tried again until it answered.
    assert int(run.verdicts[HEALTH]["figures"]["attempts"]) > 1
    assert "first answer after" in run.verdicts[HEALTH]["summary"]
    # The refused connections of the cold start never reached the service, so the logs stage
    # waits only for the answered requests (else it would wait out --logs-timeout).
    seen, expected = run.verdicts[NO_5XX]["figures"]["gate requests seen in logs"].split("/")
    assert seen == expected
    assert run.verdicts[NO_5XX]["evidence"] == []


def test_round_robin_instances_are_compared_pairwise(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "round_robin")
    run.expect()


def test_instance_churn_is_inconclusive_and_fails_by_default(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "instance_churn")
    run.expect(failed={ANALYSIS, CACHE})
    run.result.stdout.fnmatch_lines(
        [
            "INCONCLUSIVE: POST /api/memory/analyze answered, but its counters "
            '(memory_analysis_success_total{provider="neo_analysis"}, '
            "memory_analysis_cache_misses_total) could not be compared on one instance",
            "  all 5 scrapes after the action came from instances without a baseline*",
        ]
    )


def test_inconclusive_skip_lets_the_gate_pass_with_a_reason(gate_dir):
    run = run_gate(
        gate_dir, "--sandbox", "--sandbox-fault", "instance_churn", "--inconclusive=skip"
    )
    run.expect(skipped={ANALYSIS, CACHE})
    assert run.result.ret == 0
    run.result.stdout.fnmatch_lines(
        ["SKIPPED * INCONCLUSIVE: POST /api/memory/analyze answered, but*"]
    )


def test_no_server_thread_is_left_behind(gate_dir):
    import threading

    # A metrics handler is still asleep when the run ends: the sandbox must not wait for it.
    edit_contract(gate_dir, "http", "timeout_seconds", 0.5)
    run_gate(gate_dir, "--sandbox", "--sandbox-fault", "metrics_slow")
    assert [t.name for t in threading.enumerate() if t.name.startswith("sandbox-")] == []


def test_another_contract_file_drives_the_checks(gate_dir):
    (gate_dir.path / "team.yaml").write_text(
        "version: 2\n"
        "health: {path: /api/health}\n"
        "metrics:\n"
        "  path: /api/metrics\n"
        "  min_present: 2\n"
        "  expected:\n"
        "    - {name: memory_analysis_cache_size, type: gauge}\n"
        "    - {name: memory_analysis_success_total, type: counter, labels: [provider]}\n"
        "logs:\n"
        "  startup_lines: ['Application startup complete']\n"
    )
    run = run_gate(gate_dir, "--sandbox", "--contract", "team.yaml")
    # No analysis or cache section, no secrets or resources, no compare section: those checks
    # are skipped, saying why.
    assert run.failed == run.errors == set()
    assert {ANALYSIS, CACHE} <= run.skipped
    assert run.skipped >= COMPARE_UNASKED
    assert len(run.skipped) == 4 + len(COMPARE_UNASKED)
    run.result.stdout.fnmatch_lines(
        ["SKIPPED * the contract has no analysis section, so there is nothing to check here"]
    )
    run.result.stdout.fnmatch_lines(compare_skips(UNASKED), consecutive=True)
    assert {name for name in run.outcomes if name.startswith("test_metric_is_exposed")} == {
        presence("memory_analysis_cache_size"),
        presence("memory_analysis_success_total"),
    }
    assert run.verdicts[COVERAGE]["figures"]["present"] == "2/2"
    run.result.stdout.fnmatch_lines(["  contract: */team.yaml (sha256 *)"])
