"""The logs judgements: log records and the contract in, a verdict with evidence out."""

from __future__ import annotations

from datetime import UTC, datetime

from cloudrun_acceptance.checks.logs import (
    judge_error_entries,
    judge_identity,
    judge_server_errors,
    judge_startup_line,
)
from cloudrun_acceptance.model.contract import LogRules
from cloudrun_acceptance.model.errors import LoggingApiError
from cloudrun_acceptance.model.logs import Ingestion, Listing, LogRecord, StartupScan

WHEN = datetime(2026, 11, 26, 9, 0, 0, tzinfo=UTC)
STARTED = LogRecord(WHEN, "INFO", "[Metrics] Prometheus endpoint exposed at /api/metrics")
DISABLED = LogRecord(WHEN, "INFO", "[Metrics] Prometheus metrics disabled")


def failed_request(index: int) -> LogRecord:
    return LogRecord(
        WHEN,
        "ERROR",
        "",
        method="POST",
        url=f"https://svc/api/x/{index}",
        status=500,
        latency="0.2s",
        trace="projects/p/traces/abc123",
    )


def listing(records: list[LogRecord], *, capped: bool = False) -> Listing:
    return Listing(tuple(records), pages=1, capped=capped, filter="f")


def test_no_5xx_passes_only_once_the_gates_own_requests_are_ingested():
    complete = judge_server_errors(found=(listing([]), Ingestion(6, 6, 0.5)), timeout=3)
    assert (complete.status, complete.evidence) == ("passed", ())
    verdict = judge_server_errors(
        found=(listing([]), Ingestion(seen=4, expected=6, waited=3.0)), timeout=3
    )
    assert verdict.status == "inconclusive"
    assert verdict.summary == (
        "no 5xx among the entries ingested so far, but only 4 of the gate's 6 answered requests "
        "were in the logs after 3.0 s: the entries were not yet ingested"
    )
    assert "raise --logs-timeout (now 3 s)" in verdict.advice
    assert verdict.figures["gate requests seen in logs"] == "4/6"


def test_5xx_found_fail_even_before_every_request_is_ingested():
    verdict = judge_server_errors(
        found=(listing([failed_request(0)]), Ingestion(2, 6, 3.0)), timeout=3
    )
    assert verdict.status == "failed"
    assert verdict.evidence[-1] == (
        "only 2 of the gate's 6 answered requests were in the logs after 3.0 s: later errors "
        "may not be ingested yet"
    )


def test_5xx_are_listed_with_trace_and_bounded():
    records = [failed_request(i) for i in range(23)]
    verdict = judge_server_errors(
        found=(listing(records, capped=True), Ingestion(6, 6, 0.5)), timeout=3
    )
    assert verdict.status == "failed"
    assert verdict.summary == "23+ request(s) of the revision were answered 5xx"
    assert verdict.evidence[0] == (
        "  2026-11-26T09:00:00.000+00:00 POST https://svc/api/x/0 -> 500 in 0.2s trace=abc123"
    )
    assert "  ... and 3 more" in verdict.evidence
    assert (
        "only the first 23 entries were read (logs.max_entries); there are more" in verdict.evidence
    )


def test_error_entries_are_reported_unless_the_contract_fails_them():
    records = listing([LogRecord(WHEN, "ERROR", "provider timed out")])
    reported = judge_error_entries(listing=records, rules=LogRules())
    assert (reported.status, reported.summary) == (
        "passed",
        "1 entry at ERROR or above (reported only)",
    )
    assert reported.evidence == ("  2026-11-26T09:00:00.000+00:00 ERROR: provider timed out",)
    failing = judge_error_entries(listing=records, rules=LogRules(error_severity="fail"))
    assert (failing.status, failing.summary) == (
        "failed",
        "1 entry of the revision is at ERROR or above",
    )
    assert (
        judge_error_entries(listing=listing([]), rules=LogRules(error_severity="fail")).status
        == "passed"
    )


def test_startup_line_found_or_missing_with_the_closest_lines():
    pattern = r"\[Metrics\] Prometheus endpoint exposed"
    found = StartupScan({pattern: STARTED}, (), waited=0.2, polls=1)
    assert judge_startup_line(scan=found, pattern=pattern, timeout=120).status == "passed"
    missing = StartupScan({}, (pattern,), waited=120.0, polls=29, nearby=(DISABLED,))
    verdict = judge_startup_line(scan=missing, pattern=pattern, timeout=120)
    assert verdict.summary == (
        r"no log line of the revision matches /\[Metrics\] Prometheus endpoint exposed/ after "
        "120.0 s (29 queries; --logs-timeout 120 s)"
    )
    assert verdict.evidence == (
        "closest lines logged by the revision:",
        "  2026-11-26T09:00:00.000+00:00 INFO: [Metrics] Prometheus metrics disabled",
    )


def test_an_api_error_is_the_failure_with_its_advice():
    error = LoggingApiError("the Cloud Logging API denied it", "grant roles/logging.viewer.", 403)
    for verdict in (
        judge_server_errors(found=error, timeout=3),
        judge_error_entries(listing=error, rules=LogRules()),
        judge_startup_line(scan=error, pattern="x", timeout=1),
    ):
        assert (verdict.status, verdict.summary) == ("failed", "the Cloud Logging API denied it")
        assert verdict.advice == "grant roles/logging.viewer."


def test_a_startup_line_is_not_failed_before_any_line_of_the_revision_is_ingested():
    scan = StartupScan({}, (r"\[Metrics\] 13",), waited=1.0, polls=3, nearby=())
    verdict = judge_startup_line(scan=scan, pattern=r"\[Metrics\] 13", timeout=1)
    assert verdict.status == "inconclusive"
    assert verdict.summary.startswith(
        "no line of the revision was in Cloud Logging after 1.0 s, so /\\[Metrics\\] 13/ could not "
        "be looked for: the entries were not yet ingested"
    )
    assert "raise --logs-timeout (now 1 s)" in verdict.advice


def test_the_gates_requests_must_be_answered_by_the_revision_under_check():
    def request(revision: str) -> LogRecord:
        return LogRecord(WHEN, "INFO", "", method="GET", url="http://svc/api/health", status=200,
                         latency="0.01s", revision=revision)  # fmt: skip

    mine = Ingestion(2, 2, 0.5, (request("svc-2"), request("svc-2")))
    assert judge_identity(found=mine, revision="svc-2", timeout=3).summary == (
        "all 2 of the gate's requests were answered by svc-2"
    )
    theirs = Ingestion(2, 2, 0.5, (request("svc-2"), request("svc-1")))
    verdict = judge_identity(found=theirs, revision="svc-2", timeout=3)
    assert verdict.status == "failed"
    assert (
        verdict.summary
        == "1 of the gate's 2 requests in the logs were answered by svc-1, not by svc-2"
    )
    assert verdict.evidence == (
        "request <- revision that answered it:",
        "  2026-11-26T09:00:00.000+00:00 GET http://svc/api/health -> 200 in 0.01s <- svc-1",
    )
    partial = judge_identity(
        found=Ingestion(1, 2, 3.0, (request("svc-2"),)), revision="svc-2", timeout=3
    )
    assert partial.status == "inconclusive"
