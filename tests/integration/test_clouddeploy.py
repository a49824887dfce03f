"""The gate as a Cloud Deploy verify job: ``cloudrun-acceptance verify`` with the variables
Cloud Deploy gives a verify container (https://docs.cloud.google.com/deploy/docs/hooks),
against the sandbox, in a process of its own as the job's container runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from dockerfile_parse import DockerfileParser

from cloudrun_acceptance.scaffold.verify import DOCS
from tests.integration.gatekit import FAST, edit_contract
from tests.integration.test_rollout import without_compare
from tests.integration.test_sandbox_rollout import set_shares
from tests.paths import REPO

CLI = Path(sys.executable).with_name("cloudrun-acceptance")
CANDIDATE = "emergence-app-00003-abc"
CANARY = "test_canary_phase_is_judged_on_its_users_requests"


def job_environment(sandbox, **changes: str) -> dict[str, str]:
    d = sandbox.deployment
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CLOUD_", "TARGET_"))},
        "TARGET_TYPE": "RUN",
        "CLOUD_RUN_PROJECT": d.project,
        "CLOUD_RUN_LOCATION": d.region,
        "CLOUD_RUN_SERVICE": d.service,
        "CLOUD_RUN_REVISION": CANDIDATE,
        "CLOUD_DEPLOY_PHASE": "canary-25",
        "COLUMNS": "1000",  # the short summary's lines whole
    }
    env.update(changes)
    return {k: v for k, v in env.items() if v}


def verify(gate_dir, sandbox, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    endpoints = [
        f"--cloudrun-endpoint={sandbox.admin_endpoint}",
        f"--logging-endpoint={sandbox.logging_endpoint}",
        "-p",
        "no:cacheprovider",
        *FAST,
        "-rs",
    ]
    return subprocess.run(
        [str(CLI), "verify", *endpoints],
        cwd=gate_dir.path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def short_bake(gate_dir) -> None:
    from tests.integration.gatekit import edit_contract

    without_compare(gate_dir)
    edit_contract(gate_dir, "rollout", "bake_seconds", 2.0)
    edit_contract(gate_dir, "rollout", "min_requests", 30)


def test_a_canary_phase_is_judged_on_its_users_requests(gate_dir, sandbox_with):
    sandbox = sandbox_with("rollout_candidate")
    short_bake(gate_dir)
    set_shares(sandbox, 75, 25)
    done = verify(gate_dir, sandbox, job_environment(sandbox))
    assert done.returncode == 0, done.stdout[-4000:]
    assert (
        "cloudrun-acceptance verify: pytest --project=sandbox-project --region=europe-west1 "
        f"--service=emergence-app --revision={CANDIDATE} --canary-phase" in done.stdout
    )
    assert f"tests/acceptance/test_canary.py::{CANARY} PASSED" in done.stdout or (
        "test_canary.py ." in done.stdout
    )
    assert (
        f"in this canary phase {CANDIDATE} serves 25% of traffic: the service URL leads to it "
        "and to emergence-app-00001-xyz, so its checks cannot reach it alone" in done.stdout
    )
    assert "serves 25% of traffic in this canary phase (set by the engine" in (
        next(Path(gate_dir.path, "reports").glob("*.md")).read_text()
    )


def test_a_phase_whose_users_meet_errors_fails_the_job(gate_dir, sandbox_with):
    sandbox = sandbox_with("step_errors")
    short_bake(gate_dir)
    edit_contract(gate_dir, "rollout", "bake_seconds", 4.0)
    set_shares(sandbox, 50, 50)
    done = verify(gate_dir, sandbox, job_environment(sandbox))
    assert done.returncode == 1, done.stdout[-4000:]
    assert "the candidate failed more of the users' requests at 50% over" in done.stdout
    assert [(t.revision, t.percent) for t in sandbox.traffic.current() if t.percent] == [
        ("emergence-app-00001-xyz", 50),
        (CANDIDATE, 50),
    ]  # the engine moves the traffic, never the gate


def test_at_100_percent_every_check_runs(gate_dir, sandbox_with):
    sandbox = sandbox_with("rollout_candidate")
    short_bake(gate_dir)
    set_shares(sandbox, 0, 100)
    env = job_environment(sandbox, CLOUD_DEPLOY_PHASE="stable")
    done = verify(gate_dir, sandbox, {**env, "TEST_SESSION": "sandbox-session"})
    assert done.returncode == 0, done.stdout[-4000:]
    assert (
        f"{CANDIDATE} serves 100% of traffic in this phase: nothing is left to compare it with, "
        "and the checks of the service URL judged it" in done.stdout
    )
    assert f"cloudrun-acceptance: {CANDIDATE} PASSED (42 passed, 0 failed, 0 errors" in done.stdout


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"TARGET_TYPE": "GKE"},
            "cloudrun-acceptance verify: TARGET_TYPE=GKE: the gate verifies a Cloud Run target "
            "(TARGET_TYPE=RUN, set by Cloud Deploy in a verify job, see "
            "https://docs.cloud.google.com/deploy/docs/hooks); outside one, run pytest with "
            "--project, --region and --service.\n",
        ),
        (
            {"CLOUD_RUN_REVISION": "", "CLOUD_RUN_SERVICE": ""},
            "cloudrun-acceptance verify: CLOUD_RUN_SERVICE, CLOUD_RUN_REVISION not set: Cloud "
            "Deploy sets them in the verify job of a Cloud Run target "
            "(https://docs.cloud.google.com/deploy/docs/hooks); check the job's environment, or "
            "run pytest with --project, --region, --service and --revision.\n",
        ),
    ],
    ids=["not a Cloud Run target", "variables missing"],
)
def test_a_job_without_its_variables_is_a_usage_error(gate_dir, sandbox_with, changes, message):
    sandbox = sandbox_with()
    done = verify(gate_dir, sandbox, job_environment(sandbox, **changes))
    assert done.returncode == 4
    assert done.stderr == message
    assert done.stdout == ""


EXAMPLE = REPO / "docs/ci/clouddeploy"


def test_the_example_pipeline_verifies_every_canary_phase_with_the_gate():
    pipeline, target = yaml.safe_load_all((EXAMPLE / "clouddeploy.yaml").read_text())
    assert (pipeline["kind"], target["kind"]) == ("DeliveryPipeline", "Target")
    (stage,) = pipeline["serialPipeline"]["stages"]
    assert stage["targetId"] == target["metadata"]["name"]
    canary = stage["strategy"]["canary"]
    assert canary["runtimeConfig"] == {"cloudRun": {"automaticTrafficControl": True}}
    phases = canary["canaryDeployment"]
    assert phases["verify"] is True
    assert phases["percentages"] == sorted(phases["percentages"])
    assert all(0 < share < 100 for share in phases["percentages"])
    (job,) = yaml.safe_load((EXAMPLE / "skaffold.yaml").read_text())["verify"]
    container = job["container"]
    assert [*container["command"], *container["args"][:1]] == ["cloudrun-acceptance", "verify"]
    image = DockerfileParser(str(EXAMPLE / "Dockerfile"))  # read, never written
    instructions = {entry["instruction"]: entry["value"] for entry in image.structure}
    assert json.loads(instructions["ENTRYPOINT"]) == ["cloudrun-acceptance", "verify"]
    copied = [
        entry["value"].split()[:-1] for entry in image.structure if entry["instruction"] == "COPY"
    ]
    for sources in copied:
        for source in sources:
            assert (REPO / source).exists(), source  # the gate's files, from its repository


def test_its_help_says_what_it_reads():
    done = subprocess.run(
        [str(CLI), "verify", "--help"], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0
    assert done.stdout.startswith("usage: cloudrun-acceptance verify [PYTEST ARGS]\n")
    assert "CLOUD_RUN_REVISION" in done.stdout and DOCS in done.stdout
