"""Every gcloud command the gate prints runs as printed: each is taken from the gate's own
output, run by bash with the real gcloud against the sandbox, and its effect read back through
the gate's v2 client (traffic, tags, revisions)."""

from __future__ import annotations

import re

from cloudrun_acceptance.google.admin import describe_service
from cloudrun_acceptance.model import gcloud
from cloudrun_acceptance.model.service import ServiceRef
from cloudrun_acceptance.sandbox.platform.deployment import (
    FAILED_REVISION,
    OLDER_FAILED_REVISION,
    PREVIOUS_REVISION,
    REVISION,
)
from tests.integration.gatekit import deployed, edit_contract, run_gate
from tests.integration.gcloudkit import gcloud as run_gcloud
from tests.integration.gcloudkit import needs_gcloud, run_as_printed

pytestmark = needs_gcloud
REF = ServiceRef("sandbox-project", "europe-west1", "emergence-app")


def printed(run, *, by_hand: bool = False) -> list[str]:
    """The gcloud commands of a gate run's output: `by hand:` lines, or quoted in advice."""
    text = run.result.stdout.str()
    if by_hand:
        return re.findall(r"^cloudrun-acceptance: by hand: (gcloud .+)$", text, re.MULTILINE)
    return sorted(set(re.findall(r"`(gcloud [^`]+)`", text)))


def shares(sandbox) -> dict[str, int]:
    facts = describe_service(REF, endpoint=sandbox.admin_endpoint)
    return {row.revision: row.percent for row in facts.traffic if row.percent}


def ran(sandbox, command: str) -> None:
    done = run_as_printed(sandbox, command)
    assert done.returncode == 0, f"{command}\n{done.stderr}"


def test_the_traffic_advice_gives_the_revision_its_share(gate_dir, sandbox_with):
    sandbox = sandbox_with("traffic_split")
    run = run_gate(gate_dir, *deployed(sandbox))
    [command] = [c for c in printed(run) if "update-traffic" in c]
    assert shares(sandbox) == {REVISION: 50, PREVIOUS_REVISION: 50}
    ran(sandbox, command)
    assert shares(sandbox) == {REVISION: 100}


def test_the_promotion_by_hand_sets_what_promote_would_and_keeps_the_tag(gate_dir, sandbox_with):
    sandbox = sandbox_with("tagged_candidate")
    run = run_gate(gate_dir, *deployed(sandbox), "--tag=candidate")
    [command] = printed(run, by_hand=True)
    ran(sandbox, command)
    facts = describe_service(REF, endpoint=sandbox.admin_endpoint)
    assert {row.revision: row.percent for row in facts.traffic if row.percent} == {REVISION: 100}
    assert [(row.tag, row.revision) for row in facts.traffic if row.tag] == [
        ("candidate", REVISION)
    ]


def test_the_rollback_by_hand_sends_the_traffic_back(gate_dir, sandbox_with):
    sandbox = sandbox_with("env_drift")
    run = run_gate(gate_dir, *deployed(sandbox))
    [command] = printed(run, by_hand=True)  # no delete: the latest revision cannot be deleted
    ran(sandbox, command)
    assert shares(sandbox) == {PREVIOUS_REVISION: 100}


def test_the_tag_advice_moves_the_tag(gate_dir, sandbox_with):
    sandbox = sandbox_with("tag_elsewhere")
    run = run_gate(gate_dir, *deployed(sandbox), "--tag=candidate")
    [command] = [c for c in printed(run) if "--update-tags" in c]
    ran(sandbox, command)
    tags = {
        row.tag: row.revision
        for row in describe_service(REF, endpoint=sandbox.admin_endpoint).traffic
        if row.tag
    }
    assert tags == {"candidate": REVISION}


def test_the_delete_of_a_failed_revision_is_printed_only_when_it_runs(gate_dir, sandbox_with):
    sandbox = sandbox_with()
    run = run_gate(gate_dir, *deployed(sandbox), f"--revision={OLDER_FAILED_REVISION}")
    assert run.result.ret == 1
    [command] = printed(run, by_hand=True)
    assert command == str(gcloud.delete_revision(REF, OLDER_FAILED_REVISION))
    ran(sandbox, command)
    history = describe_service(REF, endpoint=sandbox.admin_endpoint).history
    assert [summary.name for summary in history] == [PREVIOUS_REVISION, REVISION]


def test_the_describe_commands_in_advice_show_what_they_name(gate_dir, sandbox_with):
    sandbox = sandbox_with("not_ready")
    run = run_gate(gate_dir, *deployed(sandbox))
    commands = printed(run)
    assert str(gcloud.describe_revision(REF, FAILED_REVISION)) in commands
    for command in commands:
        done = run_as_printed(sandbox, command)
        assert done.returncode == 0, f"{command}\n{done.stderr}"


def test_the_invoker_grant_adds_the_member_to_the_services_policy(sandbox_with):
    sandbox = sandbox_with("private")
    ran(sandbox, str(gcloud.grant_invoker(REF, "user:ann@example.com")))
    policy = run_gcloud(
        sandbox, "run", "services", "get-iam-policy", "emergence-app",
        "--region", "europe-west1", "--project", "sandbox-project", "--format=json",
    )  # fmt: skip
    assert policy.returncode == 0, policy.stderr
    assert '"user:ann@example.com"' in policy.stdout and '"roles/run.invoker"' in policy.stdout


def test_the_env_advice_deploys_the_expected_value(gate_dir, sandbox_with):
    sandbox = sandbox_with("env_drift")
    run = run_gate(gate_dir, *deployed(sandbox))
    [command] = [c for c in printed(run) if "--update-env-vars" in c]
    ran(sandbox, command)
    facts = describe_service(REF, endpoint=sandbox.admin_endpoint)
    assert facts.revision.name != REVISION  # a new revision, now the latest ready
    assert facts.revision.env["CONCEPT_RECALL_METRICS_ENABLED"] == "true"


def test_the_unexpected_env_advice_removes_the_variables(gate_dir, sandbox_with):
    env_file = gate_dir.path / "env.yaml"
    env_file.write_text(
        "\n".join(line for line in env_file.read_text().splitlines() if "AUTH_DEV_MODE" not in line)
    )
    edit_contract(gate_dir, "revision", "unexpected_env", "fail")
    sandbox = sandbox_with()
    run = run_gate(gate_dir, *deployed(sandbox))
    [command] = [c for c in printed(run) if "--remove-env-vars" in c]
    assert "--remove-env-vars AUTH_DEV_MODE " in command
    ran(sandbox, command)
    facts = describe_service(REF, endpoint=sandbox.admin_endpoint)
    assert "AUTH_DEV_MODE" not in facts.revision.env
    assert "CONCEPT_RECALL_METRICS_ENABLED" in facts.revision.env
