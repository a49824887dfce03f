"""The 5xx check of one revision whose logs hold more 5xx than ``logs.max_entries``, through the
real clients against the sandbox: Cloud Monitoring's request_count (google-api-python-client's
discovery client) counts them and every request since the revision started, the logs
(google-cloud-logging) list the first ones; where Monitoring cannot be read, the logs' lower
bound, and why. A listing that takes every 5xx reads no Monitoring at all."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from cloudrun_acceptance.google.monitoring import MetricsReader
from cloudrun_acceptance.model.polling import Backoff, poll
from cloudrun_acceptance.model.service import ServiceRef
from tests.integration.gatekit import NO_5XX, deployed, edit_contract, run_gate

# error_burst: the revision answered 25 users' requests 500 before the gate ran. The listing
# takes 15 of them; the gate's own requests (about 10) fit under that cap too, so the other
# logs checks read all they need.
BURST = 25
CAP = 15


def counted_by_monitoring(sandbox) -> None:
    """Wait until the sandbox's Monitoring shows the burst: its 1-s sample has ended (the gate
    runs in well under a second, and would read it before; on Cloud Run the burst is minutes
    old, as a window too large for the listing is)."""
    d = sandbox.deployment
    reader = MetricsReader(
        ServiceRef(d.project, d.region, d.service), endpoint=sandbox.monitoring_endpoint
    )
    since = d.created_at - timedelta(seconds=1)
    errors = 0
    for _ in poll(time.monotonic() + 30, Backoff(first=0.1, cap=0.5)):
        errors = reader.revision_counts(d.revision, since, datetime.now(UTC)).errors
        if errors >= BURST:
            break
    assert errors == BURST
    sandbox.monitoring_api.calls = 0


def capped_run(gate_dir, sandbox):
    edit_contract(gate_dir, "logs", "max_entries", CAP)
    return run_gate(gate_dir, *deployed(sandbox))


def listed(evidence: list[str]) -> list[str]:
    return [line for line in evidence if "/api/memory/analyze -> 500 in " in line]


def every_one(evidence: list[str], revision: str) -> str:
    (line,) = [line for line in evidence if line.startswith("every one of them, oldest first: ")]
    assert line.startswith(
        'every one of them, oldest first: gcloud logging read \'resource.type="cloud_run_revision"'
    )
    assert f'resource.labels.revision_name="{revision}"' in line
    assert line.endswith("AND (httpRequest.status>=500)' --project sandbox-project --order asc")
    return line


def test_a_capped_listing_is_counted_by_cloud_monitoring(gate_dir, sandbox_with):
    sandbox = sandbox_with("error_burst")
    counted_by_monitoring(sandbox)
    run = capped_run(gate_dir, sandbox)
    run.expect(failed={NO_5XX})
    verdict = run.verdicts[NO_5XX]
    figures = verdict["figures"]
    requests = int(figures["requests (Cloud Monitoring)"])
    assert requests >= BURST  # and those of the gate's own requests whose sample had ended
    assert figures["5xx requests"] == f"{BURST} (Cloud Monitoring)"
    assert figures["5xx (Cloud Monitoring)"].startswith(f"{BURST} (")
    assert figures["metrics covered"].endswith("(1 call(s))")
    assert verdict["summary"].startswith(
        f"{BURST} of the {requests} requests to the revision since it started were answered 5xx ("
    )
    assert verdict["summary"].endswith(
        f"; Cloud Monitoring's count: the logs hold more than the {CAP} read)"
    )
    evidence = verdict["evidence"]
    revision = sandbox.deployment.revision
    assert evidence[0].startswith(
        f"Cloud Monitoring counted {BURST} 5xx among {requests} requests of {revision} ("
    )
    assert "Cloud Run's one-minute samples that ended from " in evidence[0]
    assert "(the revision's start) to " in evidence[0]
    assert evidence[0].endswith("may not be counted yet")
    assert evidence[1] == f"the first {CAP} failed requests, from the logs:"
    assert len(listed(evidence)) == CAP
    assert f"only the first {CAP} entries were read (logs.max_entries); there are more" in evidence
    every_one(evidence, revision)
    assert sandbox.monitoring_api.calls == 1
    run.result.stdout.fnmatch_lines(
        [
            f"{BURST} of the * requests to the revision since it started were answered 5xx*",
            "    20*T*+00:00 POST http://127.0.0.1:*/api/memory/analyze -> 500 in *s trace=*",
            "What to do: open the traces above in Cloud Trace, or read the revision's logs around "
            "those times (the command above lists every one)*",
        ]
    )


def test_without_monitoring_a_capped_listing_is_the_logs_lower_bound_and_says_why(
    gate_dir, sandbox_with
):
    sandbox = sandbox_with("error_burst", monitoring_api_status=403)
    run = capped_run(gate_dir, sandbox)
    run.expect(failed={NO_5XX})
    verdict = run.verdicts[NO_5XX]
    assert verdict["summary"] == f"{CAP}+ request(s) of the revision were answered 5xx"
    assert verdict["figures"]["5xx requests"] == f"{CAP}+"
    assert verdict["figures"]["metrics covered"] == "not read"
    said = verdict["evidence"][0]
    assert said.startswith(
        f"Cloud Monitoring was not read, so {CAP}+ (the logs' first {CAP}) is a lower bound: the "
        "Cloud Monitoring API denied monitoring.timeSeries.list on project sandbox-project (403: "
    )
    assert "To count every 5xx and request: grant the gate's identity roles/monitoring.viewer" in (
        said
    )
    assert len(listed(verdict["evidence"])) == CAP
    every_one(verdict["evidence"], sandbox.deployment.revision)


def test_samples_not_visible_yet_leave_the_logs_lower_bound(gate_dir, sandbox_with):
    # Cloud Run shows a sample up to 180 s after its minute ends: here none is visible yet.
    sandbox = sandbox_with("error_burst", monitoring_delay_seconds=600.0)
    run = capped_run(gate_dir, sandbox)
    run.expect(failed={NO_5XX})
    verdict = run.verdicts[NO_5XX]
    assert verdict["summary"] == f"{CAP}+ request(s) of the revision were answered 5xx"
    assert verdict["evidence"][0].startswith(
        f"Cloud Monitoring had no sample of {sandbox.deployment.revision} yet "
        "(run.googleapis.com/request_count, Cloud Run's one-minute samples that ended from "
    )
    assert verdict["evidence"][0].endswith(
        f"each shows up to 180 s after its minute ends), so {CAP}+ (the logs' first {CAP}) is a "
        "lower bound"
    )
    assert verdict["figures"]["metrics covered"].startswith("no point visible yet")


def test_a_listing_that_took_every_5xx_reads_no_monitoring(gate_dir, sandbox_with):
    sandbox = sandbox_with("error_burst")
    run = run_gate(gate_dir, *deployed(sandbox))
    run.expect(failed={NO_5XX})
    verdict = run.verdicts[NO_5XX]
    assert verdict["summary"] == f"{BURST} request(s) of the revision were answered 5xx"
    assert verdict["figures"]["5xx requests"] == str(BURST)
    assert not any("Monitoring" in line for line in verdict["evidence"])
    assert "metrics covered" not in verdict["figures"]
    every_one(verdict["evidence"], sandbox.deployment.revision)  # 20 shown, 5 more
    assert sandbox.monitoring_api.calls == 0
