"""A service that misbehaves at the edges: a body without end, a huge body, Cloud Run's IAM
front door. Each fails the right check with the right advice, within a bounded time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cloudrun_acceptance.sandbox.platform.deployment import IDENTITY_TOKEN
from tests.integration.gatekit import (
    ENABLED,
    HEALTH,
    HTTP_CHECKS,
    NEEDS_EXPOSITION,
    edit_contract,
    run_gate,
)


@pytest.mark.timeout(120)  # a body that never ends would hang the run; the deadline cuts it
def test_a_metrics_body_without_end_is_cut_at_the_request_deadline(gate_dir):
    edit_contract(gate_dir, "http", "timeout_seconds", 2)
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "metrics_trickle")
    run.expect(failed={ENABLED}, errors=NEEDS_EXPOSITION)
    run.result.stdout.fnmatch_lines(
        [
            "the metrics answer did not end within the request's deadline: the body was still "
            "arriving after 2 s: * B received",
            "  GET http://127.0.0.1:*/api/metrics -> 200 OK, then the body was still arriving "
            "after 2 s: * B received (after 2.0* s)",
            "What to do: a scrape must end: *",
        ]
    )


def test_a_huge_metrics_body_is_read_up_to_the_cap_only(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "metrics_huge")
    run.expect(failed={ENABLED}, errors=NEEDS_EXPOSITION)
    run.result.stdout.fnmatch_lines(
        [
            "the metrics body is too large: the body is over the 16 MiB limit of "
            "http.max_body_bytes (reading stopped at 16* MiB, after * s)",
            "What to do: an exposition this size usually comes from a label with unbounded values*",
        ]
    )


def test_the_cap_is_the_contracts(gate_dir):
    edit_contract(gate_dir, "http", "max_body_bytes", 1000)
    run = run_gate(gate_dir, "--sandbox")
    run.expect(failed={ENABLED}, errors=NEEDS_EXPOSITION)
    run.result.stdout.fnmatch_lines(
        ["the metrics body is too large: the body is over the 1 kB limit of http.max_body_bytes*"]
    )


def test_a_private_service_without_credentials_names_the_auth_options(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "private")
    run.expect(failed={HEALTH}, errors=HTTP_CHECKS)
    run.result.stdout.fnmatch_lines(
        [
            "Cloud Run refused the health path at its IAM front door (403): the service requires "
            "authentication, and the gate sent no credentials",
            "  GET http://127.0.0.1:*/api/health -> 403 Forbidden in * s, text/html; charset=UTF-8",
            "    body: '<html><head> * <h1>Error: Forbidden</h1> <h2>Your client does not have "
            "permission to get URL <code>/api/health</code> from this server.</h2>*",
            "What to do: call it with --auth=id-token (the gate's identity needs roles/run.invoker "
            "on the service), or with --auth=bearer and SERVICE_TOKEN=$(gcloud auth "
            "print-identity-token) (--token-env names another variable).",
            "cloudrun-acceptance: * checks not checked: Cloud Run's IAM front door refused the "
            "gate (403, forbidden); see test_health_answers",
        ]
    )
    assert "a 404 means the health path moved" not in run.result.stdout.str()


def test_a_refused_token_says_audience_and_expiry_and_is_never_shown(gate_dir, monkeypatch):
    monkeypatch.setenv("SERVICE_TOKEN", "eyJ-wrong-audience-canary")
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "private", "--auth=bearer")
    run.expect(failed={HEALTH}, errors=HTTP_CHECKS)
    run.result.stdout.fnmatch_lines(
        [
            "Cloud Run refused the gate's token for the health path (401, invalid_token): the "
            "request never reached the service",
            '  WWW-Authenticate: Bearer error="invalid_token" *',
            "What to do: an ID token for Cloud Run must have the service URL as its audience, and "
            "it expires after an hour*",
        ]
    )
    assert "wrong-audience-canary" not in everything_written(gate_dir, run)


def test_a_private_service_with_its_token_passes_and_the_token_is_never_written(
    gate_dir, monkeypatch
):
    summary = gate_dir.path / "step-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("SERVICE_TOKEN", IDENTITY_TOKEN)
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "private", "--auth=bearer")
    run.expect()
    written = everything_written(gate_dir, run)
    assert summary.read_text() in written
    assert IDENTITY_TOKEN not in written
    assert IDENTITY_TOKEN.split(".")[1] not in written


def everything_written(gate_dir, run) -> str:
    """stdout, stderr, and every report file of the run, as one text."""
    files = [path for path in Path(gate_dir.path).rglob("*") if path.suffix in {".xml", ".md"}]
    assert any(path.suffix == ".xml" for path in files) and any(p.suffix == ".md" for p in files)
    texts = [run.result.stdout.str(), run.result.stderr.str()]
    return "\n".join(texts + [path.read_text() for path in files])


SHORT_DEADLINES = {
    "http": {"timeout_seconds": 1},
    "analysis": {"timeout_seconds": 1, "counter_deadline_seconds": 1},
}


@pytest.mark.parametrize(
    "faults",
    [
        ("metrics_trickle", "logs_lag"),
        ("health_503",),
        ("counter_stuck", "cache_slow", "logs_lag"),
        ("private", "logs_lag"),
        ("instance_churn", "metrics_slow"),
    ],
)
def test_combined_faults_end_in_failed_checks_and_the_run_announces_its_worst_case(
    gate_dir, faults
):
    for section, values in SHORT_DEADLINES.items():
        for key, value in values.items():
            edit_contract(gate_dir, section, key, value)
    arguments = ["--sandbox", "--ready-timeout=1", "--logs-timeout=1"]
    for fault in faults:
        arguments += ["--sandbox-fault", fault]
    run = run_gate(gate_dir, *arguments)
    assert run.result.ret == pytest.ExitCode.TESTS_FAILED
    line = next(line for line in run.result.outlines if line.startswith("  worst case: "))
    announced = re.match(r"  worst case: ([0-9.]+) s \((.*)\), the sum of the deadlines", line)
    assert announced is not None, line
    parts = [float(part.rsplit(" ", 1)[1]) for part in announced[2].split(", ")]
    assert float(announced[1]) == sum(parts), line
    # The run's own time is not asserted (a loaded machine must pass): pytest-timeout ends a run
    # that hangs, and test_run_budget holds how the announcement adds up the deadlines.
