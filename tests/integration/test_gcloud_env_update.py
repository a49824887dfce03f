"""The env fixes the gate prints (`gcloud run services update --update-env-vars` and
`--remove-env-vars`, built by model.gcloud), run through bash exactly as printed with the real
gcloud against the sandbox, and read back through the gate's own v2 client: each makes a new
Ready revision with that env, which the traffic that follows the latest moves to, while the
revision before it keeps its env.

gcloud reads the service (v1), reads its latest created revision (for the image digest), replaces
the service (PUT: the env edited, the image pinned by digest, a new nonce label) and polls the
service until its generation is observed and it is Ready.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from cloudrun_acceptance.google.admin import describe_service
from cloudrun_acceptance.model.gcloud import Command, remove_env, update_env
from cloudrun_acceptance.model.service import RevisionFacts, ServiceFacts, ServiceRef
from cloudrun_acceptance.sandbox.platform.deployment import PREVIOUS_REVISION, REVISION

pytestmark = pytest.mark.skipif(shutil.which("gcloud") is None, reason="gcloud is not installed")

REF = ServiceRef("sandbox-project", "europe-west1", "emergence-app")
WHERE = "--region europe-west1 --project sandbox-project"


def run(sandbox, command: Command) -> subprocess.CompletedProcess[str]:
    """The command as the gate prints it, through bash, under the sandbox's gcloud exports (no
    CLOUDSDK_* setting of this machine leaks in); its output without the bold gcloud adds."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDSDK_")}
    env = {**inherited, **sandbox.gcloud().environment}
    done = subprocess.run(
        ["bash", "-c", str(command)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    plain = re.compile(r"\x1b\[[0-9;]*m")
    return subprocess.CompletedProcess(
        done.args, done.returncode, plain.sub("", done.stdout), plain.sub("", done.stderr)
    )


def deployed(sandbox, command: Command, serving: int = 100) -> tuple[ServiceFacts, RevisionFacts]:
    """Run ``command``; the service after it (its latest ready revision the new one) and the
    revision that was the latest ready before it."""
    before = describe_service(REF, endpoint=sandbox.admin_endpoint)
    done = run(sandbox, command)
    assert done.returncode == 0, done.stderr
    after = describe_service(REF, endpoint=sandbox.admin_endpoint)
    new = after.latest_ready
    assert new == after.latest_created
    assert new not in {summary.name for summary in before.history}
    assert new in {summary.name for summary in after.history}
    assert after.revision.name == new and after.revision.ready is True
    assert f"revision [{new}] has been deployed and is serving {serving} percent" in done.stderr
    assert after.settled and after.generation == before.generation + 1
    # The image stays the one that ran, pinned by its digest (gcloud's own doing).
    assert "@sha256:" in after.revision.image
    previous = describe_service(REF, endpoint=sandbox.admin_endpoint, revision=before.latest_ready)
    return after, previous.revision


def test_the_printed_env_fixes_each_make_a_new_revision_and_the_older_keep_their_env(sandbox_with):
    sandbox = sandbox_with("env_drift")  # the revision has CONCEPT_RECALL_METRICS_ENABLED='1'
    enable = update_env(REF, {"CONCEPT_RECALL_METRICS_ENABLED": "true"})
    assert str(enable) == (
        "gcloud run services update emergence-app --update-env-vars "
        f"CONCEPT_RECALL_METRICS_ENABLED=true {WHERE}"
    )
    after, previous = deployed(sandbox, enable)
    assert re.fullmatch(r"emergence-app-00004-[a-z]{3}", after.latest_ready)
    assert previous.name == REVISION
    assert previous.env["CONCEPT_RECALL_METRICS_ENABLED"] == "1"
    assert after.revision.env == {**previous.env, "CONCEPT_RECALL_METRICS_ENABLED": "true"}
    assert after.revision.secrets == previous.secrets and previous.secrets
    assert [(row.revision, row.percent, row.latest) for row in after.traffic] == [
        (after.latest_ready, 100, True)
    ]

    remove = remove_env(REF, ["GOOGLE_ALLOWED_EMAILS", "AUTH_DEV_MODE"])
    assert str(remove) == (
        "gcloud run services update emergence-app --remove-env-vars "
        f"GOOGLE_ALLOWED_EMAILS,AUTH_DEV_MODE {WHERE}"
    )
    removed, enabled = deployed(sandbox, remove)
    assert re.fullmatch(r"emergence-app-00005-[a-z]{3}", removed.latest_ready)
    assert enabled.name == after.latest_ready
    assert {"GOOGLE_ALLOWED_EMAILS", "AUTH_DEV_MODE"} <= set(enabled.env)
    assert removed.revision.env == {
        k: v for k, v in enabled.env.items() if k not in {"GOOGLE_ALLOWED_EMAILS", "AUTH_DEV_MODE"}
    }
    assert removed.revision.secrets == enabled.secrets

    hosts = update_env(REF, {"HOSTS": "a,b", "OTHER": "x"})
    assert str(hosts) == (
        f"gcloud run services update emergence-app --update-env-vars '^@^HOSTS=a,b@OTHER=x' {WHERE}"
    )
    latest, before = deployed(sandbox, hosts)
    assert before.name == removed.latest_ready and "HOSTS" not in before.env
    assert latest.revision.env == {**before.env, "HOSTS": "a,b", "OTHER": "x"}
    assert [(row.revision, row.percent, row.latest) for row in latest.traffic] == [
        (latest.latest_ready, 100, True)
    ]
    # Every revision keeps the env it was made with.
    first = describe_service(REF, endpoint=sandbox.admin_endpoint, revision=REVISION).revision
    assert first.env["CONCEPT_RECALL_METRICS_ENABLED"] == "1" and "HOSTS" not in first.env
    names = [summary.name for summary in latest.history]
    assert {REVISION, after.latest_ready, removed.latest_ready, latest.latest_ready} <= set(names)


def test_traffic_pinned_to_revisions_stays_where_it_is(sandbox_with):
    sandbox = sandbox_with("traffic_split")  # 50% to the checked revision, 50% to the previous
    after, previous = deployed(sandbox, update_env(REF, {"HOSTS": "a,b"}), serving=0)
    assert after.revision.env["HOSTS"] == "a,b" and "HOSTS" not in previous.env
    assert [(row.revision, row.percent, row.latest) for row in after.traffic] == [
        (REVISION, 50, False),
        (PREVIOUS_REVISION, 50, False),
    ]


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("update_403", "PERMISSION_DENIED: Permission 'run.services.update' denied on resource"),
        (
            "update_conflict",
            "ABORTED: Resource 'emergence-app' has been modified since it was read",
        ),
    ],
)
def test_an_update_fault_refuses_the_env_fix_and_no_revision_is_made(sandbox_with, fault, error):
    sandbox = sandbox_with(fault)
    done = run(sandbox, update_env(REF, {"HOSTS": "a,b"}))
    assert done.returncode == 1
    assert f"ERROR: (gcloud.run.services.update) {error}" in done.stderr
    facts = describe_service(REF, endpoint=sandbox.admin_endpoint)
    assert facts.latest_created == REVISION and facts.generation == 3
    assert sandbox.admin_api.updates == []
