"""Logs checks through the real google-cloud-logging client against the sandbox's Logging API."""

from __future__ import annotations

import pytest

from tests.integration.gatekit import (
    IDENTITY,
    LOG_CHECKS,
    NO_5XX,
    SEVERITY,
    STARTUP,
    STARTUP_COUNT,
    edit_contract,
    run_gate,
)


def test_good_revision_logs_its_startup_lines_and_no_5xx(gate_dir):
    # Five cached calls instead of three: the gate's requests are 12.
    edit_contract(gate_dir, "cache", "samples", 5)
    run = run_gate(gate_dir, "--sandbox")
    run.expect()
    figures = run.verdicts[NO_5XX]["figures"]
    seen, sent = figures["gate requests seen in logs"].split("/")
    assert seen == sent and int(sent) > 10
    assert run.verdicts[SEVERITY]["figures"]["entries at ERROR or above"] == "0"


def test_a_500_of_the_revision_is_listed_with_its_trace(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "errors_in_logs")
    run.expect(failed={NO_5XX})
    run.result.stdout.fnmatch_lines(
        [
            "1 request(s) of the revision were answered 5xx",
            "    20*T*+00:00 POST http://127.0.0.1:*/api/memory/analyze -> 500 in *s trace=*",
            "What to do: open the traces above in Cloud Trace*",
        ]
    )
    assert run.verdicts[SEVERITY]["summary"] == "2 entries at ERROR or above (reported only)"


def test_error_severity_fails_when_the_contract_says_so(gate_dir):
    edit_contract(gate_dir, "logs", "error_severity", "fail")
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "errors_in_logs")
    run.expect(failed={NO_5XX, SEVERITY})
    run.result.stdout.fnmatch_lines(
        [
            "2 entries of the revision are at ERROR or above",
            "  * ERROR: Analysis failed for session 'sandbox-crash': provider error",
        ]
    )


def test_every_page_of_errors_is_read(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "error_burst")
    run.expect(failed={NO_5XX})
    run.result.stdout.fnmatch_lines(
        ["25 request(s) of the revision were answered 5xx", "    ... and 5 more"]
    )
    # Counted in the verdict, not in stdout: with CI set, pytest repeats the whole message in its
    # short test summary.
    evidence = run.verdicts[NO_5XX]["evidence"]
    assert sum("-> 500 in" in line for line in evidence) == 20
    assert evidence[20] == "  ... and 5 more"
    assert run.verdicts[NO_5XX]["figures"]["5xx requests"] == "25"
    assert run.verdicts[NO_5XX]["figures"]["log pages read"] == "3"  # 10 + 10 + 5


@pytest.mark.timeout(120)  # a scan past --logs-timeout would hang the run; this ends it
def test_missing_startup_lines_respect_the_logs_timeout_and_show_the_closest(gate_dir):
    run = run_gate(
        gate_dir, "--sandbox", "--sandbox-fault", "no_startup_lines", "--logs-timeout", "2"
    )
    run.expect(failed=STARTUP)
    run.result.stdout.fnmatch_lines(
        [
            r"no log line of the revision matches /\[[]Metrics\] 13 metrics registered/ after 2.0 s "
            "(* queries; --logs-timeout 2 s)",
            "  closest lines logged by the revision:",
            "    * DEFAULT: Started server process; waiting for application startup.",
        ]
    )


def test_logging_403_names_the_permission_and_the_role(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "logging_403")
    run.expect(failed=LOG_CHECKS)
    run.result.stdout.fnmatch_lines(
        [
            "the Cloud Logging API denied logging.logEntries.list on project sandbox-project (403: "
            "Permission 'logging.logEntries.list' denied*",
            "What to do: grant the gate's identity roles/logging.viewer on project sandbox-project "
            "(gcloud projects add-iam-policy-binding sandbox-project --role=roles/logging.viewer, "
            "with --member=serviceAccount:EMAIL or user:EMAIL of the identity the gate runs as).",
        ]
    )


def test_a_filter_the_api_rejects_is_a_clear_failure(gate_dir):
    # A startup line RE2 takes, but so long that its filter (the line sought in textPayload and
    # in jsonPayload.message) passes the query language's 20,000 characters.
    line = "Ready " + "x" * 10_000
    edit_contract(gate_dir, "logs", "startup_lines", [line])
    run = run_gate(gate_dir, "--sandbox")
    run.result.stdout.fnmatch_lines(
        [
            "the Cloud Logging API rejected the filter (400: filter is * characters long; the "
            "limit is 20000)",
            "What to do: the contract's logs.startup_lines are RE2 regular expressions (no "
            "lookaround, no backreferences), and a filter holds at most 20,000 characters; the "
            "filter was: resource.type=*... (* characters)*",
        ]
    )
    assert run.failed == {f"test_startup_line_is_logged[{line}]"}


def test_unreachable_logging_api_is_a_clear_failure(gate_dir, running_sandbox, refusing_port):
    run = run_gate(
        gate_dir,
        "--project=sandbox-project",
        "--region=europe-west1",
        "--service=emergence-app",
        f"--cloudrun-endpoint={running_sandbox.admin_endpoint}",
        f"--logging-endpoint=http://127.0.0.1:{refusing_port}",
        "--test-session=sandbox-session",
    )
    run.expect(failed=LOG_CHECKS)
    run.result.stdout.fnmatch_lines(
        [
            "the Cloud Logging API at http://127.0.0.1:* could not be reached (ConnectionError)",
            "What to do: check the network and --logging-endpoint (LOGGING_API_ENDPOINT).",
        ]
    )
    assert "Traceback" not in run.result.stdout.str()


def test_lagging_ingestion_is_waited_for_when_the_logs_timeout_allows(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "logs_lag", "--logs-timeout", "8")
    run.expect()
    # The startup lines appear 5 s after the sandbox wrote them: the scan waited for them.
    assert float(run.verdicts[STARTUP_COUNT]["figures"]["found after (s)"]) >= 2
    seen, expected = run.verdicts[NO_5XX]["figures"]["gate requests seen in logs"].split("/")
    assert seen == expected


def test_lagging_ingestion_past_the_logs_timeout_is_never_a_pass(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "logs_lag", "--logs-timeout", "1")
    run.expect(failed=STARTUP | {IDENTITY, NO_5XX})
    run.result.stdout.fnmatch_lines(
        [
            "INCONCLUSIVE: no line of the revision was in Cloud Logging after * s, so "
            "/*/ could not be looked for: the entries were not yet ingested (* queries; "
            "--logs-timeout 1 s)",
            "What to do: Cloud Logging shows entries seconds to minutes after they are written: "
            "raise --logs-timeout (now 1 s), or run the logs checks again a little later.",
            "INCONCLUSIVE: no 5xx among the entries ingested so far, but only 0 of the gate's * "
            "answered requests were in the logs after * s: the entries were not yet ingested",
        ]
    )
