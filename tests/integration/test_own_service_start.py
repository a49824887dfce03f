"""A team's own service that cannot start in the sandbox (`pytest --sandbox` with a contract's
``sandbox`` section): it exits at once, its command does not exist, or its command cannot be
executed. The gate says so at once, with the service's whole last output (stderr and stdout,
the last 40 lines of each within 4 KiB), in the terminal, the markdown report and JUnit; the
local Admin API reports the revision not Ready (HealthCheckContainerError), as read by the real
google-cloud-run client and gcloud.

The gate runs in a child process with a ready timeout far longer than the test's deadline
(``runpytest_subprocess``'s timeout): a run that waited for it would not return in time."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from google.api_core.client_options import ClientOptions
from google.auth.credentials import AnonymousCredentials
from google.cloud import run_v2

from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.sandbox.launch import start_for_contract
from cloudrun_acceptance.sandbox.launcher import Sandbox
from tests.integration.gcloudkit import gcloud, needs_gcloud
from tests.paths import REPO

READY_TIMEOUT = "3600"
RUN_DEADLINE = 120
CRASH = """import sys
print("shop: loading the catalogue", flush=True)
print("boom: no such file or directory: 'catalogue.json'", file=sys.stderr, flush=True)
sys.exit(3)
"""
REVISION = "crashy-00003-abc"
WHERE = ("--region", "europe-west1", "--project", "sandbox-project")


def contract(command: str) -> str:
    return f"version: 2\nhealth:\n  path: /healthz\nsandbox:\n  service: crashy\n  command: {command}\n"


def own_gate(pytester: pytest.Pytester, command: str) -> Path:
    shutil.copy(REPO / "pytest.ini", pytester.path / "pytest.ini")
    (pytester.path / "env.yaml").write_text('APP_MODE: "demo"\n')
    (pytester.path / "tests/acceptance").mkdir(parents=True)
    (pytester.path / "tests/acceptance/contract.yaml").write_text(contract(command))
    (pytester.path / "crash.py").write_text(CRASH)
    return pytester.path


def run_sandbox(pytester: pytest.Pytester) -> pytest.RunResult:
    return pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--sandbox", f"--ready-timeout={READY_TIMEOUT}",
        timeout=RUN_DEADLINE,
    )  # fmt: skip


def failed_checks(result: pytest.RunResult) -> set[str]:
    return {
        line.split("::", 1)[1].split(" ", 1)[0]
        for line in result.outlines
        if line.startswith("FAILED ")
    }


def test_a_service_that_exits_at_start_fails_at_once_with_its_whole_output(pytester):
    own_gate(pytester, "python crash.py")
    result = run_sandbox(pytester)
    cause = (
        "the service cannot answer http://127.0.0.1:*/healthz: your service, started with "
        "`python crash.py` (sandbox.command in contract.yaml), exited with code 3"
    )
    lines = [
        cause,
        "  stderr (1 line):",
        "    | boom: no such file or directory: 'catalogue.json'",
        "  stdout (1 line):",
        "    | shop: loading the catalogue",
        "  the gate stopped waiting at once, not at the 3600 s ready timeout: waiting does not "
        "change this",
        f"What to do: run `python crash.py` in {pytester.path} with PORT set, as the sandbox "
        "does, and fix what its output names (a missing file, module or variable); or fix the "
        "command (sandbox.command in the contract, or the Dockerfile's CMD). Cloud Run would "
        "not start this revision either.",
    ]
    result.stdout.fnmatch_lines(lines, consecutive=True)
    result.stdout.fnmatch_lines(
        [
            f"revision {REVISION} is not Ready: HEALTH_CHECK_CONTAINER_ERROR",
            f"  Revision '{REVISION}' is not ready and cannot serve traffic. The user-provided "
            "container failed to start and listen on the port *",
        ],
        consecutive=True,
    )
    # Only the crash's own two findings: the gate sent no request of its own to count as a 5xx.
    assert failed_checks(result) == {
        "test_health_answers",
        "test_revision_ready_condition_is_true",
    }
    report = next((pytester.path / "reports").glob("*.md")).read_text()
    # The report leads with it: the cause, its output as a list, What to do as prose.
    assert report.splitlines()[6:17] == [
        "### ❌ failed: health answers",
        "",
        cause.replace("*", report.split("http://127.0.0.1:")[1].split("/")[0]),
        "",
        "- stderr (1 line):",
        "  - | boom: no such file or directory: 'catalogue.json'",
        "- stdout (1 line):",
        "  - | shop: loading the catalogue",
        "- the gate stopped waiting at once, not at the 3600 s ready timeout: waiting does not "
        "change this",
        "",
        "**What to do:** " + lines[-1].removeprefix("What to do: "),
    ]
    junit = ElementTree.parse(next((pytester.path / "reports").glob("*.xml")))
    case = next(c for c in junit.iter("testcase") if c.get("name") == "test_health_answers")
    failure = case.find("failure")
    assert failure is not None
    # The message keeps the cause and What to do; the text, the output that shows why.
    assert failure.get("message", "").startswith(cause.split("*", maxsplit=1)[0])
    assert "What to do: run `python crash.py`" in failure.get("message", "")
    assert "    | boom: no such file or directory: 'catalogue.json'\n" in (failure.text or "")


def test_a_command_that_does_not_exist_fails_at_once_with_what_the_shell_said(pytester):
    own_gate(pytester, "exec $PWD/bin/shop-server --port $PORT")
    result = run_sandbox(pytester)
    result.stdout.fnmatch_lines(
        [
            "the service cannot answer http://127.0.0.1:*/healthz: your service, started with "
            "`exec $PWD/bin/shop-server --port $PORT` (sandbox.command in contract.yaml), "
            "exited with code 127",
            "  stderr (1 line):",
            f"    | *{pytester.path}/bin/shop-server: *not found",
            "  stdout: (nothing)",
            "  the gate stopped waiting at once, not at the 3600 s ready timeout: *",
        ],
        consecutive=True,
    )
    assert "test_revision_ready_condition_is_true" in failed_checks(result)


def test_a_command_that_cannot_be_executed_fails_at_once_with_the_systems_error(pytester):
    # The file is there, and its #! line names an interpreter that is not: exec fails.
    own_gate(pytester, "[./serve, --port, '8080']")
    serve = pytester.path / "serve"
    serve.write_text("#!/no/such/interpreter\n")
    serve.chmod(0o755)
    result = run_sandbox(pytester)
    result.stdout.fnmatch_lines(
        [
            "the service cannot answer http://127.0.0.1:*/healthz: your service, started with "
            "`./serve --port 8080` (sandbox.command in contract.yaml), could not be started: "
            "[[]Errno 2[]] No such file or directory: './serve' (the file is there: its #! line "
            "names an interpreter that is not)",
            "  the gate stopped waiting at once, not at the 3600 s ready timeout: *",
        ],
        consecutive=True,
    )
    assert "test_revision_ready_condition_is_true" in failed_checks(result)


@pytest.fixture
def crashed(tmp_path: Path) -> Iterator[Sandbox]:
    """A sandbox whose own service exited at start, as `pytest --sandbox` starts it."""
    (tmp_path / "crash.py").write_text(CRASH)
    path = tmp_path / "contract.yaml"
    path.write_text(contract("python crash.py"))
    running = start_for_contract(load_contract(path), {"APP_MODE": "demo"}, source=tmp_path)
    try:
        yield running
    finally:
        running.stop()


def test_the_admin_api_reports_the_revision_not_ready_to_the_google_client(crashed):
    options = ClientOptions(api_endpoint=crashed.admin_endpoint)
    credentials = AnonymousCredentials()  # type: ignore[no-untyped-call]
    revisions = run_v2.RevisionsClient(
        transport="rest", client_options=options, credentials=credentials
    )
    services = run_v2.ServicesClient(
        transport="rest", client_options=options, credentials=credentials
    )
    revision = revisions.get_revision(
        name=f"{crashed.deployment.service_name}/revisions/{REVISION}"
    )
    ready = next(c for c in revision.conditions if c.type_ == "Ready")
    assert ready.state == run_v2.Condition.State.CONDITION_FAILED
    assert ready.revision_reason == run_v2.Condition.RevisionReason.HEALTH_CHECK_CONTAINER_ERROR
    assert ready.message.startswith(f"Revision '{REVISION}' is not ready and cannot serve traffic.")
    service = services.get_service(name=crashed.deployment.service_name)
    assert service.terminal_condition.state == run_v2.Condition.State.CONDITION_FAILED
    assert service.terminal_condition.reason == run_v2.Condition.CommonReason.REVISION_FAILED


@needs_gcloud
def test_gcloud_describes_the_revision_not_ready(crashed):
    described = gcloud(
        crashed,
        "run", "revisions", "describe", REVISION, *WHERE,
        "--format=value(status.conditions[0].type,status.conditions[0].status,"
        "status.conditions[0].reason)",
    )  # fmt: skip
    assert described.returncode == 0, described.stderr
    assert described.stdout.split() == ["Ready", "False", "HealthCheckContainerError"]
