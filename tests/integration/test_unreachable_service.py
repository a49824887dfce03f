"""A service that refuses, hangs or lacks a test session: failed checks with evidence, no hang,
no traceback, and mutating checks only with a named session."""

from __future__ import annotations

import pytest

from tests.integration.gatekit import (
    ANALYSIS,
    CACHE,
    HEALTH,
    HTTP_CHECKS,
    REVISION_CHECKS,
    run_gate,
)

MUTATING = {ANALYSIS, CACHE}
NOT_RUN = MUTATING | REVISION_CHECKS  # a --service-url run without a session or a service name


@pytest.mark.timeout(120)  # the 1 s ready timeout ends the wait; a hang fails here
def test_refused_connection_fails_health_with_the_error_and_ends_soon(gate_dir, refusing_port):
    run = run_gate(gate_dir, f"--service-url=http://127.0.0.1:{refusing_port}", "--ready-timeout=1")
    run.expect(failed={HEALTH}, errors=HTTP_CHECKS - MUTATING, skipped=NOT_RUN)
    run.result.stdout.fnmatch_lines(
        [
            f"the service did not answer http://127.0.0.1:{refusing_port}/api/health within the 1 s "
            "ready timeout (* attempts)",
            f"  last attempt: GET http://127.0.0.1:{refusing_port}/api/health -> connection failed: "
            "[[]Errno 111] Connection refused (after * s)",
        ]
    )
    assert "Traceback" not in run.result.stdout.str()


@pytest.mark.timeout(120)  # the 1 s ready timeout ends the wait; a hang fails here
def test_silent_service_times_out_within_the_ready_timeout(gate_dir, silent_port):
    run = run_gate(gate_dir, f"--service-url=http://127.0.0.1:{silent_port}", "--ready-timeout=1")
    run.expect(failed={HEALTH}, errors=HTTP_CHECKS - MUTATING, skipped=NOT_RUN)
    run.result.stdout.fnmatch_lines(
        [
            f"  last attempt: GET http://127.0.0.1:{silent_port}/api/health -> no answer within * s (read timeout)*"
        ]
    )


def test_mutating_checks_are_skipped_without_a_test_session(gate_dir, running_sandbox):
    run = run_gate(gate_dir, f"--service-url={running_sandbox.service_url}")
    run.expect(skipped=NOT_RUN)
    run.result.stdout.fnmatch_lines(
        [
            "  test session: none, so the mutating checks are skipped (--test-session or TEST_SESSION)",
            "SKIPPED [[]1] *cloudrun_acceptance/gate/test_analysis.py:*: mutating check: give a test session "
            "to run it (--test-session ID or TEST_SESSION); it POSTs to the service",
        ]
    )
    assert not any(key.startswith("POST") for key in running_sandbox.requests_served())


def test_test_session_from_the_environment_runs_them(gate_dir, running_sandbox, monkeypatch):
    monkeypatch.setenv("TEST_SESSION", running_sandbox.session_id)
    run = run_gate(gate_dir, f"--service-url={running_sandbox.service_url}")
    run.expect(skipped=REVISION_CHECKS)
    run.result.stdout.fnmatch_lines(
        ["  test session: sandbox-session (from TEST_SESSION (environment))"]
    )
    assert running_sandbox.requests_served()["POST /api/memory/analyze"] == 4


def test_unknown_test_session_fails_the_analysis_with_the_404(gate_dir, running_sandbox):
    run = run_gate(gate_dir, f"--service-url={running_sandbox.service_url}", "--test-session=nope")
    run.expect(failed={ANALYSIS}, errors={CACHE}, skipped=REVISION_CHECKS)
    run.result.stdout.fnmatch_lines(
        [
            "POST /api/memory/analyze answered 404, expected 2xx",
            '    body: \'{"detail":"Session *nope* not found"}\'',
            "What to do: *a 404 naming the session means the test session (in the request above) "
            "does not exist on this service: give one that does (--test-session or TEST_SESSION).",
        ]
    )
