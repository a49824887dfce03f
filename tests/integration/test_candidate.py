"""The candidate flow: a revision deployed with --no-traffic --tag, checked through its tag URL;
a deploy caught half-way; the gate's own requests answered by another revision."""

from __future__ import annotations

import pytest

from tests.integration.gatekit import (
    ADMIN,
    BASELINE,
    COMPARE,
    HTTP_CHECKS,
    IDENTITY,
    NEEDS_DEPLOYMENT,
    SETTLED,
    TRAFFIC,
    deployed,
    run_gate,
)

CANDIDATE = ("--sandbox", "--sandbox-fault", "tagged_candidate", "--tag", "candidate")


def test_a_tagged_candidate_is_checked_through_its_tag_url(gate_dir):
    run = run_gate(gate_dir, *CANDIDATE)
    run.expect()
    run.result.stdout.fnmatch_lines(
        [
            "cloudrun-acceptance *: http://127.0.0.1:* (from traffic tag 'candidate', from the "
            "Cloud Run Admin API)",
            "  revision: emergence-app-00003-abc (traffic tag 'candidate', from the Cloud Run Admin "
            "API)",
        ]
    )
    assert "traffic tag 'candidate', at http://127.0.0.1:" in run.verdicts[ADMIN]["summary"]
    assert run.verdicts[TRAFFIC]["summary"].startswith(
        "emergence-app-00003-abc carries the traffic tag 'candidate' (http://127.0.0.1:"
    )
    assert (
        "serves 0% of traffic before promotion (reported, not judged"
        in (run.verdicts[TRAFFIC]["summary"])
    )
    assert run.verdicts[IDENTITY]["summary"].endswith("were answered by emergence-app-00003-abc")


def test_without_the_tag_the_candidate_is_reached_through_the_old_revision(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "tagged_candidate")
    run.expect(failed={TRAFFIC, IDENTITY})
    run.result.stdout.fnmatch_lines(
        [
            "* of the gate's * requests in the logs were answered by emergence-app-00001-xyz, not "
            "by emergence-app-00003-abc",
            "  request <- revision that answered it:",
            "    * GET http://127.0.0.1:*/api/health -> 200 in * <- emergence-app-00001-xyz",
            "What to do: the gate did not check the revision it names*",
        ]
    )


def test_a_missing_tag_lists_the_traffic_and_stops_the_checks(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "tag_missing", "--tag", "candidate")
    # The comparison needs the candidate too: its checks are not checked, like the revision's.
    run.expect(
        failed={ADMIN},
        errors=HTTP_CHECKS | NEEDS_DEPLOYMENT | COMPARE | {"test_health_answers"},
    )
    run.result.stdout.fnmatch_lines(
        [
            "service emergence-app has no traffic tag 'candidate' (its tags: none)",
            "  traffic:",
            "    100% -> emergence-app-00001-xyz",
            "What to do: deploy the candidate with the tag (gcloud run deploy emergence-app "
            "--no-traffic --tag candidate ...), or give the tag it has with --tag*",
        ]
    )
    run.result.stdout.fnmatch_lines(
        [
            "cloudrun-acceptance: * checks not checked: service emergence-app has no traffic tag "
            "'candidate' (its tags: none); see test_admin_api_describes_the_service",
        ]
    )
    assert f"ERROR at setup of {BASELINE}" not in run.result.stdout.str()


def test_a_tag_on_another_revision_is_a_failure_naming_both(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "tag_elsewhere", "--tag", "candidate")
    assert run.failed == {ADMIN}
    run.result.stdout.fnmatch_lines(
        [
            "traffic tag 'candidate' points at emergence-app-00001-xyz, not at "
            "emergence-app-00003-abc",
            "      0% -> emergence-app-00001-xyz tag=candidate http://127.0.0.1:*",
            "What to do: the deploy did not move the tag to its revision: * to check the tagged "
            "revision anyway, give --revision=emergence-app-00001-xyz.",
        ]
    )


def test_the_tag_must_point_at_the_revision_asked_for(gate_dir):
    matching = run_gate(gate_dir, *CANDIDATE, "--revision", "emergence-app-00003-abc")
    matching.expect()
    other = run_gate(gate_dir, *CANDIDATE, "--revision", "emergence-app-00001-xyz")
    assert other.failed == {ADMIN}
    other.result.stdout.fnmatch_lines(
        [
            "traffic tag 'candidate' points at emergence-app-00003-abc, not at emergence-app-00001-xyz"
        ]
    )


def test_a_deploy_caught_half_way_is_waited_for(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "reconciling")
    run.expect()
    assert float(run.verdicts[SETTLED]["figures"]["settled after (s)"]) >= 1.5


def test_a_deploy_still_reconciling_at_the_deadline_is_a_failure(gate_dir):
    run = run_gate(
        gate_dir, "--sandbox", "--sandbox-fault", "stuck_reconciling", "--ready-timeout", "1"
    )
    run.expect(failed={SETTLED})
    run.result.stdout.fnmatch_lines(
        [
            "the service is still reconciling after 1.* s (generation 3, observed 2, reconciling)",
            "What to do: a deploy or traffic change is still rolling out, or is stuck: *raise "
            "--ready-timeout (now 1 s) for slow rollouts.",
        ]
    )


def test_requests_answered_by_another_revision_fail_the_identity_check(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "served_by_other")
    run.expect(failed={IDENTITY})


@pytest.mark.parametrize("flag", ["--tag=candidate", "--promote", "--rollback-on-failure"])
def test_release_options_need_a_service(gate_dir, flag):
    run = run_gate(gate_dir, "--service-url=https://svc.example.com", flag)
    assert run.result.ret == pytest.ExitCode.USAGE_ERROR
    name = flag.split("=")[0]
    run.result.stderr.fnmatch_lines(
        [f"ERROR: {flag} from {name} (command line) needs --project, --region and --service*"]
    )


def test_a_service_checked_as_deployed_reads_the_tag_from_the_admin_api(gate_dir, sandbox_with):
    sandbox = sandbox_with("tagged_candidate")
    run = run_gate(gate_dir, *deployed(sandbox), "--tag=candidate")
    run.expect()
    assert sandbox.deployment.tag_url in run.result.stdout.str()
