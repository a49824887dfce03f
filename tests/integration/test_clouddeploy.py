"""The gate as a Cloud Deploy verify job, ``cloudrun-acceptance verify``, with the variables
Cloud Deploy gives a verify container (https://docs.cloud.google.com/deploy/docs/hooks), and as
a custom analysis check, ``cloudrun-acceptance analyze``, with those its task's env sets from
the system parameters (https://docs.cloud.google.com/deploy/docs/tasks): against the sandbox,
in a process of its own as the job's container runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from dockerfile_parse import DockerfileParser

from cloudrun_acceptance.scaffold.analyze import PIPELINE, TASKS_DOCS
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


def analysis_environment(sandbox, **changes: str) -> dict[str, str]:
    """What the example pipeline's custom check gives its task: the four CLOUD_RUN_* variables,
    and neither TARGET_TYPE nor a phase (Cloud Deploy sets them in a verify job only)."""
    return job_environment(sandbox, TARGET_TYPE="", CLOUD_DEPLOY_PHASE="", **changes)


def verify(gate_dir, sandbox, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_job("verify", gate_dir, sandbox, env)


def analyze(gate_dir, sandbox, env: dict[str, str], *extra: str):
    return run_job("analyze", gate_dir, sandbox, env, *extra)


def run_job(command, gate_dir, sandbox, env, *extra: str) -> subprocess.CompletedProcess[str]:
    endpoints = [
        f"--cloudrun-endpoint={sandbox.admin_endpoint}",
        f"--logging-endpoint={sandbox.logging_endpoint}",
        f"--monitoring-endpoint={sandbox.monitoring_endpoint}",
        "-p",
        "no:cacheprovider",
        *FAST,
        "-rs",
        *extra,
    ]
    return subprocess.run(
        [str(CLI), command, *endpoints],
        cwd=gate_dir.path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def judged_as_it_decides(gate_dir) -> None:
    """A phase judged as soon as its evidence decides: looked at every second, passing after
    2 s once shown within the tolerances (a 5xx rate within 5 points), for up to 30 s."""
    from tests.integration.gatekit import edit_contract

    without_compare(gate_dir)
    edit_contract(gate_dir, "rollout", "bake_seconds", 30.0)
    edit_contract(gate_dir, "rollout", "look_seconds", 1.0)
    edit_contract(gate_dir, "rollout", "min_bake_seconds", 2.0)
    edit_contract(gate_dir, "rollout", "error_tolerance", 0.05)
    edit_contract(gate_dir, "rollout", "min_requests", 30)


def test_a_canary_phase_is_judged_on_its_users_requests(gate_dir, sandbox_with):
    sandbox = sandbox_with("rollout_candidate")
    judged_as_it_decides(gate_dir)
    set_shares(sandbox, 75, 25)
    done = verify(gate_dir, sandbox, job_environment(sandbox))
    assert done.returncode == 0, done.stdout[-4000:]
    assert (
        "cloudrun-acceptance verify: pytest --project=sandbox-project --region=europe-west1 "
        f"--service=emergence-app --revision={CANDIDATE} --canary-phase" in done.stdout
    )
    assert f"cloudrun_acceptance/gate/test_canary.py::{CANARY} PASSED" in done.stdout or (
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
    judged_as_it_decides(gate_dir)
    set_shares(sandbox, 50, 50)
    done = verify(gate_dir, sandbox, job_environment(sandbox))
    assert done.returncode == 1, done.stdout[-4000:]
    assert "the candidate failed more of the users' requests at 50% over" in done.stdout
    assert [(t.revision, t.percent) for t in sandbox.traffic.current() if t.percent] == [
        ("emergence-app-00001-xyz", 50),
        (CANDIDATE, 50),
    ]  # the engine moves the traffic, never the gate
    assert (
        "cloudrun-acceptance: traffic: a canary phase (--canary-phase): the engine that set the "
        "split (Cloud Deploy) moves the traffic on this job's exit code, so the gate changed "
        "nothing and advises nothing" in done.stdout
    )
    assert "by hand:" not in done.stdout  # no rollback advice against the engine


def test_at_100_percent_every_check_runs(gate_dir, sandbox_with):
    sandbox = sandbox_with("rollout_candidate")
    judged_as_it_decides(gate_dir)
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


def no_post_reached_the_service(sandbox) -> bool:
    return not any(key.startswith("POST") for key in sandbox.requests_served())


def test_an_analysis_check_judges_the_phase_and_deselects_the_mutating_checks(
    gate_dir, sandbox_with
):
    sandbox = sandbox_with("rollout_candidate")
    judged_as_it_decides(gate_dir)
    set_shares(sandbox, 75, 25)
    done = analyze(gate_dir, sandbox, analysis_environment(sandbox))
    assert done.returncode == 0, done.stdout[-4000:]
    assert (
        "cloudrun-acceptance analyze: pytest --project=sandbox-project --region=europe-west1 "
        f"--service=emergence-app --revision={CANDIDATE} --canary-phase -m 'not mutating' "
        f"--cloudrun-endpoint={sandbox.admin_endpoint} " in done.stdout
    )
    assert f"cloudrun_acceptance/gate/test_canary.py::{CANARY} PASSED" in done.stdout or (
        "test_canary.py ." in done.stdout
    )
    assert (
        f"cloudrun-acceptance: {CANDIDATE} PASSED (22 passed, 0 failed, 0 errors, 24 skipped, "
        "2 deselected)" in done.stdout
    )
    assert "test_analysis.py" not in done.stdout  # deselected: not even skipped
    assert no_post_reached_the_service(sandbox)
    assert [(t.revision, t.percent) for t in sandbox.traffic.current() if t.percent] == [
        ("emergence-app-00001-xyz", 75),
        (CANDIDATE, 25),
    ]


def test_at_100_percent_an_analysis_check_runs_every_check_but_the_mutating_ones(
    gate_dir, sandbox_with
):
    sandbox = sandbox_with("rollout_candidate")
    judged_as_it_decides(gate_dir)
    set_shares(sandbox, 0, 100)
    done = analyze(gate_dir, sandbox, analysis_environment(sandbox))
    assert done.returncode == 0, done.stdout[-4000:]
    assert f"cloudrun-acceptance: {CANDIDATE} PASSED (40 passed, 0 failed, 0 errors" in (
        done.stdout
    )
    assert "2 deselected" in done.stdout.splitlines()[-1]
    assert "test_analysis.py" not in done.stdout
    assert no_post_reached_the_service(sandbox)


def test_an_analysis_check_whose_users_meet_errors_fails(gate_dir, sandbox_with):
    sandbox = sandbox_with("step_errors")
    judged_as_it_decides(gate_dir)
    set_shares(sandbox, 50, 50)
    done = analyze(gate_dir, sandbox, analysis_environment(sandbox))
    assert done.returncode == 1, done.stdout[-4000:]
    assert "the candidate failed more of the users' requests at 50% over" in done.stdout
    assert no_post_reached_the_service(sandbox)


def canary_budget(gate_dir) -> str:
    """The error budget the last run's judge of the phase spent, as its JUnit property says."""
    import xml.etree.ElementTree as ET

    newest = max(Path(gate_dir.path, "reports").glob("*.xml"), key=lambda p: p.stat().st_mtime)
    case = ET.parse(newest).getroot().find(f".//testcase[@name='{CANARY}']")
    assert case is not None
    values = {p.get("name"): p.get("value") for p in case.iter("property")}
    return str(values["cloudrun_acceptance.error_budget"])


def test_the_runs_of_one_phase_share_its_budget_over_its_time(gate_dir, sandbox_with):
    sandbox = sandbox_with("rollout_candidate")
    judged_as_it_decides(gate_dir)
    edit_contract(gate_dir, "rollout", "bake_seconds", 8.0)  # enough for a smaller budget
    set_shares(sandbox, 75, 25)  # the phase begins: the service's updateTime
    spent = []
    for _ in range(2):
        done = analyze(gate_dir, sandbox, analysis_environment(sandbox))
        assert done.returncode == 0, done.stdout[-4000:]
        budget = canary_budget(gate_dir)
        assert (
            "(the phase's 1.67%, one of 3 judged steps, spent over its time: this judgement "
            in (budget)
        )
        spent.append(float(budget.split("%")[0]))
    # The same phase, later: a smaller share of its 1.67%, and together less than all of it.
    assert 0 < spent[1] < spent[0]
    assert 2 * sum(spent) < 1.67  # each figure is the latency's half


SESSION_REFUSED = (
    ": an analysis check runs again every `frequency` of the analysis, so it never POSTs to "
    'the service (its mutating checks are deselected, -m "not mutating") and has no use for a '
    "test session; drop it from the custom check's task, and leave the mutating checks to the "
    "verify job (skaffold.yaml gives it --test-session).\n"
)


@pytest.mark.parametrize(
    ("changes", "extra", "message"),
    [
        ({"TEST_SESSION": "analysis"}, (), "TEST_SESSION is set" + SESSION_REFUSED),
        (
            {},
            ("--test-session=analysis",),
            "--test-session is among its arguments" + SESSION_REFUSED,
        ),
        (
            {"PYTEST_ADDOPTS": "--test-session analysis"},
            (),
            "--test-session is among PYTEST_ADDOPTS" + SESSION_REFUSED,
        ),
        (
            {"CLOUD_RUN_LOCATION": ""},
            (),
            "CLOUD_RUN_LOCATION not set: the custom check's task sets them in its env from Cloud "
            f"Deploy's system parameters ({TASKS_DOCS}), as {PIPELINE} does; add them to the "
            "task's env, or run pytest with --project, --region, --service and --revision.\n",
        ),
    ],
    ids=["TEST_SESSION", "--test-session", "PYTEST_ADDOPTS", "variable missing"],
)
def test_an_analysis_check_that_could_mutate_or_lacks_a_variable_is_a_usage_error(
    gate_dir, sandbox_with, changes, extra, message
):
    sandbox = sandbox_with()
    done = analyze(gate_dir, sandbox, analysis_environment(sandbox, **changes), *extra)
    assert done.returncode == 4
    assert done.stderr == "cloudrun-acceptance analyze: " + message
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
    # The analysis runs the same image with `analyze` (what gcloud makes of it:
    # test_clouddeploy_apply.py).
    (check,) = phases["analysis"]["customChecks"]
    (task,) = check["task"]["containersTask"]["containers"]
    assert task["image"] == container["image"]
    assert [*task["command"], *task["args"]] == ["cloudrun-acceptance", "analyze"]
    image = DockerfileParser(str(EXAMPLE / "Dockerfile"))  # read, never written
    instructions = {entry["instruction"]: entry["value"] for entry in image.structure}
    assert json.loads(instructions["ENTRYPOINT"]) == ["cloudrun-acceptance", "verify"]
    copied = [
        entry["value"].split()[:-1] for entry in image.structure if entry["instruction"] == "COPY"
    ]
    for sources in copied:
        for source in sources:
            assert (REPO / source).exists(), source  # the gate's files, from its repository


@pytest.mark.parametrize(
    ("command", "flag", "page"),
    [("verify", "--help", DOCS), ("analyze", "--help", TASKS_DOCS), ("analyze", "-h", TASKS_DOCS)],
)
def test_its_help_says_what_it_reads(command, flag, page):
    done = subprocess.run(
        [str(CLI), command, flag], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0
    assert done.stdout.startswith(f"usage: cloudrun-acceptance {command} [PYTEST ARGS]\n")
    assert "CLOUD_RUN_REVISION" in done.stdout and page in done.stdout


def test_the_command_line_lists_both_jobs():
    done = subprocess.run([str(CLI), "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    listed = " ".join(done.stdout.split())
    assert "verify run the gate as a Cloud Deploy verify job" in listed
    assert "analyze run the gate as a Cloud Deploy custom analysis check" in listed
