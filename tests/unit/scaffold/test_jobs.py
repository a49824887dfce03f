"""The gate's command line in a Cloud Deploy job, read from the job's environment: the verify
job's (verify.py) and the custom analysis check's (analyze.py), through the one reader of the
CLOUD_RUN_* variables (jobenv.py)."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.model.errors import ConfigError
from cloudrun_acceptance.scaffold.analyze import analyze, analyze_arguments
from cloudrun_acceptance.scaffold.jobenv import USAGE_ERROR, VARIABLES
from cloudrun_acceptance.scaffold.verify import verify_arguments

TARGET = {
    "CLOUD_RUN_PROJECT": "demo-project",
    "CLOUD_RUN_LOCATION": "europe-west1",
    "CLOUD_RUN_SERVICE": "emergence-app",
    "CLOUD_RUN_REVISION": "emergence-app-00003-abc",
}
FLAGS = [
    "--project=demo-project",
    "--region=europe-west1",
    "--service=emergence-app",
    "--revision=emergence-app-00003-abc",
]


def test_both_jobs_read_the_same_four_variables():
    assert [name for name, _ in VARIABLES] == list(TARGET)
    assert verify_arguments({**TARGET, "TARGET_TYPE": "RUN"}, ["-x"]) == [
        *FLAGS,
        "--canary-phase",
        "-x",
    ]


def test_an_analysis_check_needs_no_target_type_and_deselects_the_mutating_checks():
    assert analyze_arguments(TARGET, ["-q"]) == [
        *FLAGS,
        "--canary-phase",
        "-m",
        "not mutating",
        "-q",
    ]


@pytest.mark.parametrize(
    ("env", "extra", "found"),
    [
        ({"TEST_SESSION": "s"}, [], "TEST_SESSION is set"),
        ({}, ["--test-session", "s"], "--test-session is among its arguments"),
        ({}, ["--test-session=s"], "--test-session is among its arguments"),
        ({"PYTEST_ADDOPTS": "-q --test-session=s"}, [], "--test-session is among PYTEST_ADDOPTS"),
    ],
)
def test_a_test_session_is_refused_wherever_it_comes_from(env, extra, found):
    with pytest.raises(ConfigError) as raised:
        analyze_arguments({**TARGET, **env}, extra)
    assert str(raised.value).startswith(f"{found}: an analysis check runs again every ")


def test_a_look_alike_option_is_no_session():
    assert analyze_arguments(TARGET, ["--test-sessions-report"])[-1] == "--test-sessions-report"
    assert analyze_arguments({**TARGET, "PYTEST_ADDOPTS": "'unclosed"}, [])  # pytest reports it


def test_missing_variables_are_named_with_the_page_and_the_fix():
    with pytest.raises(ConfigError) as raised:
        analyze_arguments({"CLOUD_RUN_PROJECT": "demo-project"}, [])
    assert str(raised.value) == (
        "CLOUD_RUN_LOCATION, CLOUD_RUN_SERVICE, CLOUD_RUN_REVISION not set: the custom check's "
        "task sets them in its env from Cloud Deploy's system parameters "
        "(https://docs.cloud.google.com/deploy/docs/tasks), as "
        "docs/ci/clouddeploy/clouddeploy.yaml does; add them to the task's env, or run pytest "
        "with --project, --region, --service and --revision."
    )


def test_a_usage_error_is_exit_4_on_stderr_and_pytest_never_starts(capsys):
    assert analyze([], {"TEST_SESSION": "s", **TARGET}) == USAGE_ERROR
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("cloudrun-acceptance analyze: TEST_SESSION is set: ")


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_its_help_is_its_doc(capsys, flag):
    assert analyze([flag], {}) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: cloudrun-acceptance analyze [PYTEST ARGS]\n\n")
    assert "${{ render.metadata.cloud_run.revision.name }}" in out
