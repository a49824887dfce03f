"""The runbook's gcloud commands, run with the real gcloud against the sandbox (pointed at it as
`python -m cloudrun_acceptance.sandbox` prints: its throwaway CLOUDSDK_CONFIG), asserting on
what gcloud prints and on the state read back through the gate's own v2 client."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta

import httpx

from cloudrun_acceptance.google.admin import describe_service
from cloudrun_acceptance.google.update import update_traffic
from cloudrun_acceptance.model.service import ServiceRef, TrafficRow
from cloudrun_acceptance.sandbox.platform.deployment import (
    OLDER_FAILED_REVISION,
    PREVIOUS_REVISION,
    REVISION,
)
from tests.integration.gcloudkit import gcloud, needs_gcloud

pytestmark = needs_gcloud

WHERE = ("--region", "europe-west1", "--project", "sandbox-project")
REF = ServiceRef("sandbox-project", "europe-west1", "emergence-app")


def test_describe_list_and_the_revisions_env(sandbox_with):
    sandbox = sandbox_with()
    described = gcloud(sandbox, "run", "services", "describe", "emergence-app", *WHERE)
    assert described.returncode == 0, described.stderr
    for line in (
        "✔ Service emergence-app in region europe-west1",
        f"URL:     {sandbox.service_url}",
        f"  100% LATEST (currently {REVISION})",
        f"  Revision {REVISION}",
        "      CONCEPT_RECALL_METRICS_ENABLED true",
        "      OPENAI_API_KEY OPENAI_API_KEY:5",
    ):
        assert line in described.stdout.splitlines(), (line, described.stdout)
    listed = gcloud(sandbox, "run", "revisions", "list", "--service", "emergence-app", *WHERE)
    assert listed.returncode == 0, listed.stderr
    rows = [line.split() for line in listed.stdout.splitlines()[1:]]
    # Ready mark, name, active (only the serving one), service, as gcloud prints them.
    assert [row[:3] for row in rows] == [
        ["✔", REVISION, "yes"],
        ["X", OLDER_FAILED_REVISION, "emergence-app"],
        ["✔", PREVIOUS_REVISION, "emergence-app"],
    ]
    env = gcloud(
        sandbox,
        "run",
        "revisions",
        "describe",
        REVISION,
        *WHERE,
        "--format=value(spec.containers[0].env)",
    )
    assert env.returncode == 0, env.stderr
    d = sandbox.deployment
    expected = [{"name": k, "value": v} for k, v in d.env.items()] + [
        {"name": s.env, "valueFrom": {"secretKeyRef": {"key": s.version, "name": s.secret}}}
        for s in d.secrets
    ]
    assert [ast.literal_eval(item) for item in env.stdout.strip().split(";")] == expected


def test_a_traffic_change_by_gcloud_is_what_the_gate_reads_next(sandbox_with):
    sandbox = sandbox_with()
    moved = gcloud(
        sandbox,
        "run",
        "services",
        "update-traffic",
        "emergence-app",
        "--to-revisions",
        f"{PREVIOUS_REVISION}=100",
        *WHERE,
    )
    assert moved.returncode == 0, moved.stderr
    assert f"  100% {PREVIOUS_REVISION}" in moved.stdout.splitlines()
    assert "Done." in moved.stderr
    # gcloud replaced the whole service with the resourceVersion it had read.
    assert sandbox.admin_api.updates[-1]["metadata"]["resourceVersion"]
    facts = describe_service(REF, endpoint=sandbox.admin_endpoint)
    assert [(row.revision, row.percent, row.latest) for row in facts.traffic] == [
        (PREVIOUS_REVISION, 100, False)
    ]
    assert facts.settled and facts.generation == 4


def test_a_traffic_change_by_the_gate_is_what_gcloud_describes(sandbox_with):
    sandbox = sandbox_with("traffic_split")
    facts = describe_service(REF, endpoint=sandbox.admin_endpoint)
    update_traffic(
        REF,
        endpoint=sandbox.admin_endpoint,
        etag=facts.etag,
        traffic=[TrafficRow(revision=REVISION, percent=100)],
        revision=REVISION,
        timeout=10,
    )
    described = gcloud(sandbox, "run", "services", "describe", "emergence-app", *WHERE)
    assert described.returncode == 0, described.stderr
    lines = described.stdout.splitlines()
    traffic = lines[lines.index("Traffic:") + 1 : lines.index("Traffic:") + 3]
    assert [line.rstrip() for line in traffic] == [f"  100% {REVISION}", ""]  # and nothing else


def test_a_revision_delete_removes_it_and_the_latest_revision_is_refused(sandbox_with):
    sandbox = sandbox_with()
    deleted = gcloud(
        sandbox, "run", "revisions", "delete", OLDER_FAILED_REVISION, *WHERE, "--quiet"
    )
    assert deleted.returncode == 0, deleted.stderr
    assert f"Deleted revision [{OLDER_FAILED_REVISION}]." in deleted.stderr
    history = describe_service(REF, endpoint=sandbox.admin_endpoint).history
    assert [summary.name for summary in history] == [PREVIOUS_REVISION, REVISION]
    refused = gcloud(sandbox, "run", "revisions", "delete", REVISION, *WHERE, "--quiet")
    assert refused.returncode == 1
    assert (
        f"ERROR: (gcloud.run.revisions.delete) FAILED_PRECONDITION: Revision '{REVISION}' cannot "
        "be deleted: it is the latest revision of the service."
    ) in refused.stderr


def test_logging_read_with_freshness_shows_only_the_revisions_recent_entries(sandbox_with):
    sandbox = sandbox_with()
    sandbox.log.request("GET", f"{sandbox.service_url}/", 200, 0.01, "a user", PREVIOUS_REVISION)
    sandbox.log.output("written two hours ago", when=datetime.now(UTC) - timedelta(hours=2))
    read = gcloud(
        sandbox,
        "logging",
        "read",
        f'resource.type="cloud_run_revision" AND resource.labels.revision_name="{REVISION}"',
        "--project",
        "sandbox-project",
        "--freshness=1h",
    )
    assert read.returncode == 0, read.stderr
    assert "textPayload: '[Metrics] 13 metrics registered'" in read.stdout.splitlines()
    assert f"    revision_name: {REVISION}" in read.stdout.splitlines()
    assert PREVIOUS_REVISION not in read.stdout
    assert "written two hours ago" not in read.stdout
    # Newest first, as gcloud asks (orderBy timestamp desc).
    assert read.stdout.index("Application startup complete.") < read.stdout.index(
        "Started server process"
    )


def test_an_invoker_binding_for_all_users_opens_a_private_service(sandbox_with):
    sandbox = sandbox_with("private")
    assert httpx.get(f"{sandbox.service_url}/api/health").status_code == 403
    bound = gcloud(
        sandbox,
        "run",
        "services",
        "add-iam-policy-binding",
        "emergence-app",
        "--member=allUsers",
        "--role=roles/run.invoker",
        *WHERE,
    )
    assert bound.returncode == 0, bound.stderr
    assert "Updated IAM policy for service [emergence-app]." in bound.stderr
    assert "  - allUsers" in bound.stdout.splitlines()
    assert httpx.get(f"{sandbox.service_url}/api/health").status_code == 200
