"""Bad input never ends in a traceback: env.yaml and contract problems are usage errors before
collection in every mode (a pre-flight run reports env.yaml's as the env check's finding); a
service that goes away half-way says so; a contract naming nothing says it in words."""

from __future__ import annotations

import shutil

import pytest

from tests.integration.gatekit import (
    ANALYSIS,
    CACHE,
    COMPARE,
    REVISION_CHECKS,
    UNTAGGED_NOT_RUN,
    edit_contract,
    not_run,
    run_gate,
)
from tests.paths import REPO

GOOD_TREE = REPO / "tests/fixtures/preflight/good"
ENV_CHECK = "test_env_file_is_ready_for_deploy"


def usage_error(run, *lines: str) -> None:
    assert run.result.ret == pytest.ExitCode.USAGE_ERROR, run.result.stdout.str()
    assert run.outcomes == {}
    run.result.stderr.fnmatch_lines(list(lines))
    assert "Traceback" not in run.result.stdout.str() + run.result.stderr.str()


@pytest.mark.parametrize(
    "mode", [["--sandbox"], ["--service-url=https://svc.example.com"]], ids=["sandbox", "url"]
)
def test_env_yaml_that_is_not_a_mapping(gate_dir, mode):
    (gate_dir.path / "env.yaml").write_text("- SHOP_METRICS\n- on\n")
    usage_error(
        run_gate(gate_dir, *mode),
        "ERROR: env file */env.yaml (from --env-file's default) is not a mapping of NAME: value "
        'lines; write one NAME: "value" per line.',
    )


@pytest.mark.parametrize(
    "mode", [["--sandbox"], ["--service-url=https://svc.example.com"]], ids=["sandbox", "url"]
)
def test_a_missing_env_file_names_the_option_it_came_from(gate_dir, mode):
    usage_error(
        run_gate(gate_dir, *mode, "--env-file=missing.yaml"),
        "ERROR: env file */missing.yaml (from --env-file (command line)) does not exist; pass "
        "--env-file=PATH to an existing file.",
    )


def test_in_a_pre_flight_run_env_yaml_is_the_env_checks_finding_and_the_others_run(
    gate_dir, tmp_path
):
    tree = tmp_path / "service"
    shutil.copytree(GOOD_TREE, tree)
    (tree / "env.yaml").write_text('CONCEPT_RECALL_METRICS_ENABLED: "true"\nSHOP_METRICS: on\n')
    run = run_gate(gate_dir, f"--preflight={tree}", f"--env-file={tree / 'env.yaml'}")
    assert run.result.ret == pytest.ExitCode.TESTS_FAILED
    assert run.failed == {ENV_CHECK}
    assert len(run.passed) == 4
    run.result.stdout.fnmatch_lines(
        [
            "  env.yaml line 2: SHOP_METRICS: on is read as a boolean, not a string, and gcloud "
            '--env-vars-file takes strings only; quote it: SHOP_METRICS: "on"'
        ]
    )


def test_in_a_pre_flight_run_the_gates_own_missing_env_file_is_a_finding_too(gate_dir):
    run = run_gate(gate_dir, f"--preflight={GOOD_TREE}", "--env-file=missing.yaml")
    assert run.failed == {ENV_CHECK}
    run.result.stdout.fnmatch_lines(
        ["  the gate's env file */missing.yaml (from --env-file (command line)) does not exist*"]
    )


def test_a_bad_contract_is_a_usage_error_in_a_pre_flight_run_too(gate_dir):
    edit_contract(gate_dir, "preflight", "requirements", ["prometheus-client>=>0.20"])
    usage_error(
        run_gate(gate_dir, f"--preflight={GOOD_TREE}"),
        "ERROR: */contract.yaml: preflight.requirements[[]0]: 'prometheus-client>=>0.20' is not a "
        "requirement *; write it as pip takes it.",
    )


@pytest.mark.parametrize("broken", ["contract", "env.yaml"])
def test_bad_input_without_a_target_names_the_missing_target_not_a_traceback(gate_dir, broken):
    if broken == "contract":
        edit_contract(gate_dir, "revision", "secrets", "not a list")
    else:
        (gate_dir.path / "env.yaml").write_text("FLAG: true\n")
    run = run_gate(gate_dir)
    usage_error(run, "ERROR: no service to check: give the service to check in one of three ways:")


def test_a_service_that_goes_away_half_way_says_when_it_last_answered(gate_dir, running_sandbox):
    class StopTheService:
        @pytest.hookimpl(tryfirst=True)
        def pytest_runtest_setup(self, item: pytest.Item) -> None:
            if item.name == ANALYSIS:
                running_sandbox.stop()

    run = run_gate(
        gate_dir,
        f"--service-url={running_sandbox.service_url}",
        "--test-session=sandbox-session",
        # A run that may stop at failures sends the forced analysis in turn, not at the end of
        # collection: it meets the service gone.
        "--maxfail=10",
        plugins=[StopTheService()],
    )
    run.expect(failed={ANALYSIS}, errors={CACHE}, skipped=REVISION_CHECKS)
    message = run.result.stdout.str()
    run.result.stdout.fnmatch_lines(
        [
            "POST /api/memory/analyze not sent: the counters could not be read (connection "
            "failed: *; the service answered until *:*:* UTC (* answers to this run), then refused connections: "
            "GET */api/metrics -> *",
            "What to do: the service stopped answering during this check, after it had answered "
            "the checks before it: *",
        ]
    )
    assert "reports first" not in message


def test_a_contract_that_names_no_secrets_says_so(gate_dir):
    edit_contract(gate_dir, "revision", "secrets", [])
    run = run_gate(gate_dir, "--sandbox")
    # And the comparison's checks, outside the candidate flow.
    assert run.skipped == {"test_secret_is_mounted_at_pinned_version[none]"} | COMPARE
    report = next((gate_dir.path / "reports").glob("*.md")).read_text()
    assert not_run(report) == [  # in the order the checks ran: the revision's before the comparison
        "- 1 check skipped: the contract names no secrets (revision.secrets) (secret is mounted "
        "at pinned version: none)",
        UNTAGGED_NOT_RUN,
    ]
    assert "NOTSET" not in run.result.stdout.str() + report
