"""The gate command line of each CI example, run against the sandbox, so the examples cannot rot."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from typing import Any

import yaml

from tests.integration.gatekit import run_gate
from tests.paths import REPO, SHIPPED_CONTRACT


def sandbox_environment(monkeypatch, sandbox) -> None:
    """What the CI job would have: the service's coordinates, and (here) the sandbox's APIs."""
    deployment = sandbox.deployment
    for name, value in {
        "PROJECT_ID": deployment.project,
        "REGION": deployment.region,
        "SERVICE_NAME": deployment.service,
        "REVISION": deployment.revision,
        "GATE_TEST_SESSION": sandbox.session_id,
        "CLOUDRUN_API_ENDPOINT": sandbox.admin_endpoint,
        "LOGGING_API_ENDPOINT": sandbox.logging_endpoint,
    }.items():
        monkeypatch.setenv(name, value)


def gate_arguments(command: str) -> list[str]:
    """The arguments after ``pytest``, expanded by bash exactly as the CI job's shell would."""
    assert command.split(None, 1)[0] == "pytest", command
    words = command.split(None, 1)[1]
    done = subprocess.run(
        ["bash", "-c", f"printf '%s\\0' {words}"],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    return done.stdout.split("\0")[:-1]


def github_steps(example: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The deploy, gate and archive steps of a GitHub Actions example."""
    workflow = yaml.safe_load((REPO / "docs/ci" / example).read_text())
    steps = workflow["jobs"]["deploy"]["steps"]
    deploy = next(step for step in steps if step.get("name", "").startswith("Deploy"))
    gate = next(step for step in steps if step.get("name") == "Acceptance gate")
    archive = next(
        step for step in steps if step.get("uses", "").startswith("actions/upload-artifact")
    )
    assert archive["if"] == "always()"  # reports are archived when the gate fails, too
    assert archive["with"]["name"] == "acceptance-${{ env.REVISION }}"
    return deploy, gate, archive


def test_github_actions_candidate_flow_promotes_a_passing_candidate(
    gate_dir, sandbox_with, monkeypatch
):
    deploy, gate, _ = github_steps("github-actions.yml")
    assert "--no-traffic --tag candidate" in deploy["run"]
    sandbox = sandbox_with("tagged_candidate")
    sandbox_environment(monkeypatch, sandbox)
    arguments = gate_arguments(gate["run"])
    assert {"--tag=candidate", "--promote", "--rollback-on-failure"} <= set(arguments)
    run = run_gate(gate_dir, *arguments)
    run.expect()
    assert run.result.ret == 0
    served = [s for s in sandbox.traffic.statuses() if s.get("percent")]
    assert [(s["revision"], s["percent"]) for s in served] == [(sandbox.deployment.revision, 100)]
    assert list((gate_dir.path / "reports").glob("emergence-app-00003-abc-*.md"))


def test_github_actions_candidate_flow_never_promotes_a_failing_candidate(
    gate_dir, sandbox_with, monkeypatch
):
    _, gate, _ = github_steps("github-actions.yml")
    sandbox = sandbox_with("tagged_candidate", "env_drift")
    sandbox_environment(monkeypatch, sandbox)
    run = run_gate(gate_dir, *gate_arguments(gate["run"]))
    assert run.result.ret == 1
    assert sandbox.admin_api.updates == []


def test_github_actions_direct_flow_gate_step(gate_dir, running_sandbox, monkeypatch):
    _, gate, _ = github_steps("github-actions-direct.yml")
    sandbox_environment(monkeypatch, running_sandbox)
    run = run_gate(gate_dir, *gate_arguments(gate["run"]))
    run.expect()
    assert run.result.ret == 0
    assert "--test-session=sandbox-session" in gate_arguments(gate["run"])
    assert "--rollback-on-failure" in gate_arguments(gate["run"])
    monkeypatch.setenv("GATE_TEST_SESSION", "")  # the repository variable is not set
    assert not [word for word in gate_arguments(gate["run"]) if word.startswith("--test-session")]
    assert list((gate_dir.path / "reports").glob("emergence-app-00003-abc-*.md"))


def test_cloud_build_gate_step(gate_dir, sandbox_with, monkeypatch):
    build = yaml.safe_load((REPO / "docs/ci/cloudbuild.yaml").read_text())
    steps = {step["id"]: step for step in build["steps"]}
    assert {"--no-traffic", "--tag=candidate"} <= set(steps["deploy"]["args"])
    script = steps["acceptance-gate"]["args"][-1]
    command = next(line for line in script.splitlines() if line.strip().startswith("pytest"))
    command = command.replace("$$", "$")  # Cloud Build's escape for a shell variable
    assert "echo $$? > gate-exit-code" in script
    assert steps["verdict"]["args"][-1] == "exit $(cat gate-exit-code)"
    sandbox = sandbox_with("tagged_candidate")
    sandbox_environment(monkeypatch, sandbox)
    run = run_gate(gate_dir, *gate_arguments(command))
    run.expect()
    assert len(sandbox.admin_api.updates) == 1


def test_examples_deploy_what_the_gate_checks():
    """The deploy steps use env.yaml and pin the secrets at the contract's versions."""
    contract = yaml.safe_load(SHIPPED_CONTRACT.read_text())
    pinned = ",".join(
        f"{s['env']}={s['secret']}:{s['version']}" for s in contract["revision"]["secrets"]
    )
    for example in ("github-actions.yml", "github-actions-direct.yml", "cloudbuild.yaml"):
        text = (REPO / "docs/ci" / example).read_text()
        assert re.search(r"--env-vars-file[ =]env.yaml", text), example
        assert pinned in text, example


def service_source(gate_dir) -> None:
    """The service's source beside the gate, as the examples assume: the good fixture tree."""
    tree = REPO / "tests/fixtures/preflight/good"
    for path in tree.rglob("*"):
        target = gate_dir.path / path.relative_to(tree)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif target.name != "env.yaml":  # the gate's env.yaml is the one deployed
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)


def test_the_pre_flight_steps_run_before_the_deploy(gate_dir):
    service_source(gate_dir)
    commands = []
    for example in ("github-actions.yml", "github-actions-direct.yml"):
        steps = yaml.safe_load((REPO / "docs/ci" / example).read_text())["jobs"]["deploy"]["steps"]
        names = [step.get("name", "") for step in steps]
        assert names.index("Pre-flight") < next(i for i, n in enumerate(names) if "Deploy" in n)
        commands.append(steps[names.index("Pre-flight")]["run"])
    build = yaml.safe_load((REPO / "docs/ci/cloudbuild.yaml").read_text())
    ids = [step["id"] for step in build["steps"]]
    assert ids.index("pre-flight") < ids.index("deploy")
    script = build["steps"][ids.index("pre-flight")]["args"][-1]
    commands.append(next(line for line in script.splitlines() if line.startswith("pytest")))
    for command in commands:
        run = run_gate(gate_dir, *gate_arguments(command))
        run.expect()
        assert len(run.outcomes) == 5 and run.result.ret == 0
