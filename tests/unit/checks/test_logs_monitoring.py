"""The 5xx check when the logs hold more 5xx than the listing takes: Cloud Monitoring's count
since the revision started (and the rate), or the logs' lower bound and why; the first failed
requests listed from the logs either way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cloudrun_acceptance.checks.logs import judge_server_errors
from cloudrun_acceptance.model.errors import MonitoringApiError
from cloudrun_acceptance.model.logs import Ingestion, Listing, LogRecord, ServerErrors
from cloudrun_acceptance.model.monitoring import MetricCounts, RevisionCounts, RevisionTally

REVISION = "svc-00002-abc"
STARTED = datetime(2026, 11, 26, 9, 0, 12, tzinfo=UTC)
READ = datetime(2026, 11, 26, 9, 47, 12, tzinfo=UTC)
FILTER = (
    'resource.type="cloud_run_revision" AND resource.labels.service_name="svc" AND '
    f'resource.labels.revision_name="{REVISION}" AND timestamp>="2026-11-26T09:00:12Z" AND '
    "(httpRequest.status>=500)"
)
ALL_OF_THEM = (
    f"every one of them, oldest first: gcloud logging read '{FILTER}' --project p --order asc"
)
CAP_NOTE = "only the first 1000 entries were read (logs.max_entries); there are more"


def failed_request(index: int) -> LogRecord:
    return LogRecord(
        STARTED + timedelta(seconds=index),
        "ERROR",
        "",
        method="POST",
        url=f"https://svc/api/x/{index}",
        status=500,
        latency="0.2s",
        trace="projects/p/traces/abc123",
    )


def listing(count: int, *, capped: bool) -> Listing:
    records = tuple(failed_request(i) for i in range(count))
    return Listing(records, pages=count // 1000 + 1, capped=capped, filter=FILTER)


def tally(requests: int, errors: int, *, visible: bool = True) -> RevisionTally:
    counts = MetricCounts(
        (RevisionCounts(REVISION, requests, errors),) if visible else (),
        STARTED - timedelta(seconds=48) if visible else None,
        READ if visible else None,
        1,
    )
    return RevisionTally(REVISION, STARTED, READ, counts)


def found(
    counted: RevisionTally | MonitoringApiError | None, *, count: int = 1000, capped: bool = True
) -> ServerErrors:
    return ServerErrors(listing(count, capped=capped), Ingestion(6, 6, 0.5), "p", counted)


def test_a_capped_listing_takes_its_count_and_rate_from_cloud_monitoring():
    verdict = judge_server_errors(found=found(tally(50210, 1234)), timeout=3)
    assert verdict.status == "failed"
    assert verdict.summary == (
        "1234 of the 50210 requests to the revision since it started were answered 5xx (2.46%; "
        "Cloud Monitoring's count: the logs hold more than the 1000 read)"
    )
    assert verdict.evidence[:3] == (
        "Cloud Monitoring counted 1234 5xx among 50210 requests of svc-00002-abc (2.46%): "
        "run.googleapis.com/request_count, Cloud Run's one-minute samples that ended from "
        "2026-11-26T09:00:12+00:00 (the revision's start) to 2026-11-26T09:47:12+00:00 (when "
        "read), 1 call(s); a sample shows up to 180 s after its minute ends, so requests after "
        "about 2026-11-26T09:43:12+00:00 may not be counted yet",
        "the first 20 failed requests, from the logs:",
        "  2026-11-26T09:00:12.000+00:00 POST https://svc/api/x/0 -> 500 in 0.2s trace=abc123",
    )
    assert verdict.evidence[3:] == (
        *(f"  {failed_request(i).describe()}" for i in range(1, 20)),
        "  ... and 980 more",
        CAP_NOTE,
        ALL_OF_THEM,
    )
    assert verdict.advice.startswith(
        "open the traces above in Cloud Trace, or read the revision's logs around those times "
        "(the command above lists every one); "
    )
    assert verdict.figures == {
        "5xx requests": "1234 (Cloud Monitoring)",
        "log pages read": "2",
        "gate requests seen in logs": "6/6",
        "requests (Cloud Monitoring)": "50210",
        "5xx (Cloud Monitoring)": "1234 (2.46%)",
        "metrics covered": "2026-11-26T09:00:12+00:00 to 2026-11-26T09:47:12+00:00 (1 call(s))",
    }


def test_a_rate_of_a_few_in_very_many_is_not_written_zero():
    verdict = judge_server_errors(found=found(tally(40_000_000, 1001)), timeout=3)
    assert verdict.figures["5xx (Cloud Monitoring)"] == "1001 (<0.01%)"


def test_monitoring_counting_fewer_than_the_logs_read_leaves_the_logs_lower_bound():
    verdict = judge_server_errors(found=found(tally(1500, 900)), timeout=3)
    assert verdict.summary == "1000+ request(s) of the revision were answered 5xx"
    assert verdict.evidence[0].startswith("Cloud Monitoring counted 900 5xx among 1500 requests")
    assert verdict.evidence[1] == (
        "the logs hold more 5xx than that: its newest samples are not visible yet, so 1000+ "
        "(the logs' first 1000) is a lower bound"
    )
    assert verdict.figures["5xx requests"] == "1000+"
    assert verdict.figures["5xx (Cloud Monitoring)"] == "900 (60%)"


def test_no_visible_sample_yet_leaves_the_logs_lower_bound_and_says_why():
    verdict = judge_server_errors(found=found(tally(0, 0, visible=False)), timeout=3)
    assert verdict.summary == "1000+ request(s) of the revision were answered 5xx"
    assert verdict.evidence[0] == (
        "Cloud Monitoring had no sample of svc-00002-abc yet (run.googleapis.com/request_count, "
        "Cloud Run's one-minute samples that ended from 2026-11-26T09:00:12+00:00 (the "
        "revision's start) to 2026-11-26T09:47:12+00:00 (when read), 1 call(s); each shows up "
        "to 180 s after its minute ends), so 1000+ (the logs' first 1000) is a lower bound"
    )
    assert verdict.figures["metrics covered"].startswith("no point visible yet")


def test_without_monitoring_a_capped_listing_is_judged_on_the_logs_and_says_why():
    denied = MonitoringApiError(
        "the Cloud Monitoring API denied monitoring.timeSeries.list on project p (403: "
        "Permission monitoring.timeSeries.list denied (or the resource may not exist): "
        "projects/p)",
        "grant the gate's identity roles/monitoring.viewer on project p (gcloud projects "
        "add-iam-policy-binding p --role=roles/monitoring.viewer, with "
        "--member=serviceAccount:EMAIL or user:EMAIL of the identity the gate runs as).",
        403,
    )
    verdict = judge_server_errors(found=found(denied), timeout=3)
    assert verdict.status == "failed"
    assert verdict.summary == "1000+ request(s) of the revision were answered 5xx"
    assert verdict.evidence[0] == (
        "Cloud Monitoring was not read, so 1000+ (the logs' first 1000) is a lower bound: the "
        "Cloud Monitoring API denied monitoring.timeSeries.list on project p (403: Permission "
        "monitoring.timeSeries.list denied (or the resource may not exist): projects/p). To "
        "count every 5xx and request: grant the gate's identity roles/monitoring.viewer on "
        "project p (gcloud projects add-iam-policy-binding p --role=roles/monitoring.viewer, "
        "with --member=serviceAccount:EMAIL or user:EMAIL of the identity the gate runs as)."
    )
    assert verdict.evidence[1] == "the first 20 failed requests, from the logs:"
    assert verdict.evidence[-2:] == (CAP_NOTE, ALL_OF_THEM)
    assert verdict.figures["metrics covered"] == "not read"
    assert verdict.figures["5xx requests"] == "1000+"


def test_a_listing_that_took_every_5xx_is_judged_on_the_logs_alone():
    # Not capped: the logs' count is exact; counts given anyway are not what the check says.
    verdict = judge_server_errors(
        found=found(tally(50210, 1234), count=25, capped=False), timeout=3
    )
    assert verdict.summary == "25 request(s) of the revision were answered 5xx"
    assert verdict.evidence[0] == f"  {failed_request(0).describe()}"
    assert verdict.evidence[20:] == ("  ... and 5 more", ALL_OF_THEM)
    assert not any("Monitoring" in line for line in verdict.evidence)
    assert set(verdict.figures) == {"5xx requests", "log pages read", "gate requests seen in logs"}
    assert verdict.figures["5xx requests"] == "25"
    few = judge_server_errors(found=found(None, count=2, capped=False), timeout=3)
    assert few.evidence == tuple(f"  {failed_request(i).describe()}" for i in range(2))
    assert "(the command above lists every one)" not in few.advice


def test_the_bare_pair_is_still_judged_and_shows_the_filter_that_finds_them_all():
    pair = (listing(1000, capped=True), Ingestion(6, 6, 0.5))
    verdict = judge_server_errors(found=pair, timeout=3)
    assert verdict.summary == "1000+ request(s) of the revision were answered 5xx"
    assert verdict.evidence[-1] == f"the filter that finds every one of them: {FILTER}"


def test_the_gates_own_requests_not_yet_ingested_are_still_said():
    late = ServerErrors(listing(1000, capped=True), Ingestion(2, 6, 3.0), "p", tally(5000, 1200))
    verdict = judge_server_errors(found=late, timeout=3)
    assert verdict.evidence[-1] == (
        "only 2 of the gate's 6 answered requests were in the logs after 3.0 s: later errors "
        "may not be ingested yet"
    )
