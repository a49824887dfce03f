"""The team's own service in the sandbox: its command, its environment as Cloud Run gives it,
its output as Cloud Run logs it, and a stop that leaves nothing behind."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from cloudrun_acceptance.model.contract import SandboxRules, SecretRef
from cloudrun_acceptance.model.errors import ConfigError
from cloudrun_acceptance.sandbox.faults.profiles import Behaviour
from cloudrun_acceptance.sandbox.ownservice.process import (
    OwnService,
    OwnServiceSpec,
    own_service_spec,
    service_environment,
)
from cloudrun_acceptance.sandbox.platform.deployment import LogStore, plan_deployment

CONTRACT = Path("contract.yaml")
SECRET = SecretRef("PAY_KEY", "pay-key", "3")


def deployment(env=None):
    return plan_deployment(
        Behaviour(), env or {"SHOP_METRICS": "on"}, (SECRET,), {}, 0.0, service="shop"
    )


def test_the_command_is_the_contracts_else_the_dockerfiles(tmp_path):
    spec = own_service_spec(SandboxRules(command="exec python -m shop"), tmp_path, CONTRACT)
    assert (spec.argv, spec.origin, spec.shown) == (
        ("/bin/sh", "-c", "exec python -m shop"),
        "sandbox.command in contract.yaml",
        "exec python -m shop",
    )
    (tmp_path / "Dockerfile").write_text('FROM python\nENTRYPOINT ["python"]\nCMD ["-m", "shop"]\n')
    spec = own_service_spec(SandboxRules(), tmp_path, CONTRACT)
    assert spec.argv == ("python", "-m", "shop")
    assert (
        spec.origin
        == f"the ENTRYPOINT on line 2 and the CMD on line 3 of {tmp_path / 'Dockerfile'}"
    )


def test_no_command_and_a_missing_program_are_usage_errors_with_the_fix(tmp_path):
    with pytest.raises(ConfigError) as caught:
        own_service_spec(SandboxRules(), tmp_path, CONTRACT)
    assert str(caught.value) == (
        f"contract.yaml: the sandbox section asks --sandbox to run your own service, but "
        f"{tmp_path / 'Dockerfile'} does not exist; give its command as sandbox.command in the "
        "contract (such as python -m myservice), or run the gate where the service's Dockerfile "
        "is (--preflight=PATH names its source tree)."
    )
    with pytest.raises(ConfigError) as caught:
        own_service_spec(
            SandboxRules(command="PORT=1 exec no-such-server --port $PORT"), tmp_path, CONTRACT
        )
    assert "and 'no-such-server' is not installed here (PATH begins with " in str(caught.value)


def test_the_environment_is_the_revisions_with_what_cloud_run_sets(tmp_path):
    spec = OwnServiceSpec(
        ("python",), tmp_path, "x", SandboxRules(env={"SHOP_METRICS": "on-locally"})
    )
    env = service_environment(spec, deployment({"SHOP_METRICS": "on", "A": "1"}), 8123)
    assert env["PORT"] == "8123"
    assert (env["K_SERVICE"], env["K_REVISION"], env["K_CONFIGURATION"]) == (
        "shop",
        "shop-00003-abc",
        "shop",
    )
    assert env["A"] == "1"
    assert env["SHOP_METRICS"] == "on-locally"  # sandbox.env, for the local run only
    assert env["PAY_KEY"] == "sandbox-placeholder-for-pay-key-3"
    assert env["PATH"].split(os.pathsep)[0] == str(Path(sys.executable).parent)
    assert "PYTEST_CURRENT_TEST" not in env  # nothing else of the host


def test_output_lines_are_logged_as_cloud_run_logs_them_and_stop_ends_the_process(tmp_path):
    script = (
        "import json, time\n"
        "print('plain line', flush=True)\n"
        "print(json.dumps({'severity': 'warning', 'message': 'structured'}), flush=True)\n"
        "time.sleep(60)\n"
    )
    rules = SandboxRules(command=(sys.executable, "-c", script))
    log = LogStore(deployment())
    service = OwnService(own_service_spec(rules, tmp_path, CONTRACT), deployment(), log)
    deadline = time.monotonic() + 10
    while len(log.entries) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    plain, structured = log.entries[:2]
    assert plain["textPayload"] == "plain line" and "severity" not in plain
    assert plain["logName"].endswith("run.googleapis.com%2Fstdout")
    assert structured["jsonPayload"] == {"message": "structured"}
    assert structured["severity"] == "WARNING"
    service.wait_listening(0.2)
    assert "has not listened on $PORT=" in service.problem()
    assert "  | plain line" in service.problem()
    service.stop()
    assert "exited with code -15" in service.problem()


def test_a_service_that_exits_at_once_says_why_with_each_streams_last_output(tmp_path):
    script = (
        "import sys\n"
        "print('loading', flush=True)\n"
        "print('boom: no such file or directory', file=sys.stderr, flush=True)\n"
        "sys.exit(3)\n"
    )
    rules = SandboxRules(command=(sys.executable, "-c", script))
    service = OwnService(
        own_service_spec(rules, tmp_path, CONTRACT), deployment(), LogStore(deployment())
    )
    service.wait_listening(30)  # ends when the process does
    failure = service.failure()
    assert failure is not None
    assert failure.cause.endswith("exited with code 3")
    assert failure.evidence == (
        "stderr (1 line):",
        "  | boom: no such file or directory",
        "stdout (1 line):",
        "  | loading",
    )
    assert "fix what its output names" in failure.advice
    service.stop()


def test_a_command_that_cannot_be_executed_is_a_service_that_failed_to_start(tmp_path):
    serve = tmp_path / "serve"
    serve.write_text("#!/no/such/interpreter\n")
    serve.chmod(0o755)
    rules = SandboxRules(command=("./serve",))
    service = OwnService(
        own_service_spec(rules, tmp_path, CONTRACT), deployment(), LogStore(deployment())
    )
    service.wait_listening(30)
    failure = service.failure()
    assert failure is not None
    assert failure.cause == (
        "your service, started with `./serve` (sandbox.command in contract.yaml), could not be "
        "started: [Errno 2] No such file or directory: './serve' (the file is there: its #! "
        "line names an interpreter that is not)"
    )
    assert failure.evidence == ()
    service.stop()  # nothing to stop
