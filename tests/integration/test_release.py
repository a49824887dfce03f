"""Acting on the verdict through the real google-cloud-run client: promote a passed candidate,
roll back a failed revision that served traffic, refuse to act on anything else, and print the
exact commands when the flags were not given. The sandbox's Admin API is read afterwards."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.sandbox.platform.deployment import PREVIOUS_REVISION, REVISION
from tests.integration.gatekit import ENABLED, HEALTH, deployed, latency, run_gate

WHERE = "--region europe-west1 --project sandbox-project"


def shares(sandbox) -> dict[str, int]:
    """The sandbox service's traffic now, as its Admin API describes it."""
    result: dict[str, int] = {}
    for status in sandbox.traffic.statuses():
        if status.get("percent"):
            result[status["revision"]] = result.get(status["revision"], 0) + status["percent"]
    return result


def report(gate_dir) -> str:
    return next((gate_dir.path / "reports").glob("*.md")).read_text()


def test_a_passed_candidate_is_promoted_and_keeps_its_tag(gate_dir, sandbox_with):
    sandbox = sandbox_with("tagged_candidate")
    assert shares(sandbox) == {PREVIOUS_REVISION: 100}
    run = run_gate(gate_dir, *deployed(sandbox), "--tag=candidate", "--promote")
    run.expect()
    assert run.result.ret == 0
    assert shares(sandbox) == {REVISION: 100}
    tags = [s for s in sandbox.traffic.statuses() if s.get("tag")]
    assert [(s["revision"], s["tag"]) for s in tags] == [(REVISION, "candidate")]
    update = sandbox.admin_api.updates[-1]
    assert update["etag"]  # the update carried the etag the gate read
    assert update["updateMask"] == "traffic"  # and changed the traffic only
    run.result.stdout.fnmatch_lines(
        [
            f"cloudrun-acceptance: traffic: promoted: 100% to {REVISION} (operation "
            "projects/sandbox-project/locations/europe-west1/operations/*)",
            f"cloudrun-acceptance: {REVISION} PASSED *",
        ]
    )
    text = report(gate_dir)
    assert "| Decision | promote |" in text
    assert (
        f"| Traffic before | 100% -> {PREVIOUS_REVISION}<br>0% -> {REVISION} tag=candidate" in text
    )
    assert f"| Traffic after | 100% -> {REVISION}<br>0% -> {REVISION} tag=candidate" in text
    assert "| Operation | `projects/sandbox-project/locations/europe-west1/operations/" in text


def test_a_failed_candidate_is_not_promoted_and_needs_no_rollback(gate_dir, sandbox_with):
    sandbox = sandbox_with("tagged_candidate", "env_drift")
    run = run_gate(
        gate_dir, *deployed(sandbox), "--tag=candidate", "--promote", "--rollback-on-failure"
    )
    assert ENABLED in run.failed and run.result.ret == 1
    assert sandbox.admin_api.updates == []
    assert shares(sandbox) == {PREVIOUS_REVISION: 100}
    run.result.stdout.fnmatch_lines(
        [
            f"cloudrun-acceptance: traffic: {REVISION} failed the gate but serves no traffic: "
            "nothing to roll back (no user met it)",
        ]
    )
    # The latest created revision: Cloud Run refuses to delete it, so no delete is printed.
    assert "revisions delete" not in run.result.stdout.str()


def test_a_failed_revision_that_served_traffic_is_rolled_back_past_the_failed_one(
    gate_dir, sandbox_with
):
    sandbox = sandbox_with("env_drift")
    run = run_gate(gate_dir, *deployed(sandbox), "--rollback-on-failure")
    assert run.result.ret == 1
    # emergence-app-00002-fgh, newer than 00001 but never Ready, is skipped.
    assert shares(sandbox) == {PREVIOUS_REVISION: 100}
    run.result.stdout.fnmatch_lines(
        [
            f"cloudrun-acceptance: traffic: rolled back: 100% to {PREVIOUS_REVISION} (operation *)",
        ]
    )
    text = report(gate_dir)
    assert "| Decision | roll back |" in text
    assert "the newest older revision that is Ready" in text


def test_without_the_flags_nothing_changes_and_the_commands_are_printed(gate_dir, sandbox_with):
    failing = sandbox_with("env_drift")
    run = run_gate(gate_dir, *deployed(failing))
    assert failing.admin_api.updates == []
    run.result.stdout.fnmatch_lines(
        [
            f"cloudrun-acceptance: traffic: {REVISION} failed the gate and serves 100% of traffic; "
            "--rollback-on-failure was not given, so nothing was changed",
            "cloudrun-acceptance: by hand: gcloud run services update-traffic emergence-app "
            f"--to-revisions {PREVIOUS_REVISION}=100 {WHERE}",
        ]
    )
    assert "To act by hand:" in report(gate_dir)
    candidate = sandbox_with("tagged_candidate")
    passed = run_gate(gate_dir, *deployed(candidate), "--tag=candidate")
    passed.expect()
    assert candidate.admin_api.updates == []
    passed.result.stdout.fnmatch_lines(
        [
            "cloudrun-acceptance: by hand: gcloud run services update-traffic emergence-app "
            f"--to-revisions {REVISION}=100 {WHERE}"
        ]
    )


def test_a_concurrent_change_is_refused_and_fails_the_run(gate_dir, sandbox_with):
    sandbox = sandbox_with("tagged_candidate", "update_conflict")
    run = run_gate(gate_dir, *deployed(sandbox), "--tag=candidate", "--promote")
    run.expect()  # every check passed; the promotion did not
    assert run.result.ret == 1
    assert shares(sandbox) == {PREVIOUS_REVISION: 100}
    run.result.stdout.fnmatch_lines(
        [
            "cloudrun-acceptance: traffic: the promotion failed: the Cloud Run Admin API refused "
            "run.services.update on projects/sandbox-project/locations/europe-west1/services/"
            "emergence-app: the service changed after the gate read it (409: *",
            "cloudrun-acceptance: what to do: nothing was changed. *",
            f"cloudrun-acceptance: {REVISION} FAILED *",
        ]
    )
    assert "| Result | ❌ the promotion failed:" in report(gate_dir)


def test_a_denied_update_names_the_permission_role_and_project(gate_dir, sandbox_with):
    sandbox = sandbox_with("tagged_candidate", "update_403")
    run = run_gate(gate_dir, *deployed(sandbox), "--tag=candidate", "--promote")
    assert run.result.ret == 1
    run.result.stdout.fnmatch_lines(
        [
            "cloudrun-acceptance: traffic: the promotion failed: the Cloud Run Admin API denied "
            "run.services.update on projects/sandbox-project/locations/europe-west1/services/"
            "emergence-app (403: *",
            "cloudrun-acceptance: what to do: grant the gate's identity roles/run.developer on "
            "project sandbox-project (it needs run.services.update) (gcloud projects "
            "add-iam-policy-binding sandbox-project --role=roles/run.developer, with *",
        ]
    )


def test_a_partial_run_is_never_promoted(gate_dir, sandbox_with):
    sandbox = sandbox_with("tagged_candidate")
    run = run_gate(gate_dir, *deployed(sandbox), "--tag=candidate", "--promote", "-k", "health")
    assert run.result.ret == 0
    # -k health selects the comparison's health latency too (a candidate flow: it runs).
    assert run.outcomes == {HEALTH: "passed", latency("health"): "passed"}
    assert sandbox.admin_api.updates == []
    run.result.stdout.fnmatch_lines(
        ["cloudrun-acceptance: traffic: 46 checks were deselected (-k/-m): --promote acts only *"]
    )


@pytest.mark.parametrize("args", [("-k", "no_such_check"), ("--collect-only",)])
def test_nothing_is_changed_when_nothing_ran(gate_dir, sandbox_with, args):
    sandbox = sandbox_with("env_drift")
    run = run_gate(gate_dir, *deployed(sandbox), "--rollback-on-failure", *args)
    assert run.result.ret in {pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED}
    assert sandbox.admin_api.updates == []


def test_the_flags_also_come_from_the_ini_file(gate_dir, sandbox_with):
    sandbox = sandbox_with("env_drift")
    ini = gate_dir.path / "pytest.ini"
    ini.write_text(ini.read_text() + "cloudrun_rollback_on_failure = true\n")
    run_gate(gate_dir, *deployed(sandbox))
    assert shares(sandbox) == {PREVIOUS_REVISION: 100}
