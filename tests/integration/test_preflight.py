"""The pre-flight of a source tree through pytester: alone (no target), and first in a run of the
gate against the sandbox; each broken tree fails the right check with the file, line and fix."""

from __future__ import annotations

import shutil

import pytest

from tests.integration.gatekit import COMPARE, edit_contract, run_gate
from tests.paths import REPO

TREES = REPO / "tests/fixtures/preflight"
DOCKERFILE = "test_dockerfile_runs_the_app"
PORT = "test_container_listens_on_port"
UPLOAD = "test_upload_set_holds_what_the_image_needs"
REQUIREMENT = "test_requirement_is_listed[prometheus-client]"
ENV = "test_env_file_is_ready_for_deploy"
PREFLIGHT = {DOCKERFILE, PORT, UPLOAD, REQUIREMENT, ENV}


@pytest.fixture
def tree(tmp_path_factory):
    """A source tree: a copy of good/ with the named variant laid over it (see the README of
    tests/fixtures/preflight)."""

    def copy(name: str) -> str:
        target = tmp_path_factory.mktemp("source") / name
        shutil.copytree(TREES / "good", target)
        if name != "good":
            shutil.copytree(TREES / name, target, dirs_exist_ok=True)
        removals = target / "dot-remove"
        if removals.exists():
            for path in removals.read_text().split():
                (target / path).unlink()
            removals.unlink()
        for dotted in target.rglob("dot-*"):
            dotted.rename(dotted.with_name("." + dotted.name.removeprefix("dot-")))
        return str(target)

    return copy


def test_a_good_tree_passes_alone_and_is_reported(gate_dir, tree):
    run = run_gate(gate_dir, f"--preflight={tree('good')}")
    run.expect()
    assert set(run.outcomes) == PREFLIGHT
    run.result.stdout.fnmatch_lines(
        [
            "cloudrun-acceptance *: pre-flight only of */good (no service named: the checks of a "
            "deployed revision are not run)",
            "collected * items / 48 deselected / 5 selected",
            "cloudrun-acceptance: pre-flight of */good PASSED (5 passed, 0 failed, 0 errors, 0 "
            "skipped); reports: reports/preflight-good-*.md",
        ]
    )
    report = next((gate_dir.path / "reports").glob("preflight-good-*.md")).read_text()
    assert "# Validation report: pre-flight of " in report
    assert "**PASSED** ✅: 5 passed, 0 failed, 0 errors, 0 skipped\n" in report
    assert "| upload set holds what the image needs | " in report
    assert "| files uploaded | 5 |" in report and "| bytes uploaded | 494 |" in report
    assert "deselected" not in report
    assert run.verdicts[DOCKERFILE]["summary"] == (
        "Dockerfile (CMD on line 7) runs `exec python -m uvicorn --app-dir src backend.main:app "
        "--host 0.0.0.0 --port ${PORT:-8080}`"
    )


def test_with_the_sandbox_the_pre_flight_runs_first(gate_dir, tree):
    run = run_gate(gate_dir, "--sandbox", f"--preflight={tree('good')}")
    run.expect()
    assert run.skipped == COMPARE  # outside the candidate flow
    assert len(run.outcomes) == 53
    run.result.stdout.fnmatch_lines(
        [
            "  pre-flight: */good (first, before any request)",
            "cloudrun_acceptance/gate/test_preflight.py .....*",
            "cloudrun_acceptance/gate/test_health.py .*",
        ]
    )
    report = next((gate_dir.path / "reports").glob("emergence-app-*.md")).read_text()
    assert report.index("dockerfile runs the app") < report.index("health answers")


@pytest.mark.parametrize(
    ("name", "failing", "lines"),
    [
        (
            "no_cmd",
            {DOCKERFILE, PORT},
            [
                "Dockerfile has no CMD or ENTRYPOINT in its final stage: the container would run "
                "the base image's command",
                "What to do: end the Dockerfile with `CMD exec uvicorn --app-dir src "
                "backend.main:app --host 0.0.0.0 --port ${PORT:-8080}`.",
            ],
        ),
        (
            "wrong_app",
            {DOCKERFILE},
            [
                "Dockerfile (CMD on line 7) runs `uvicorn app:app --host 0.0.0.0 --port 8080`, but "
                "--app-dir is not given, the contract says src; it does not name the app "
                "backend.main:app",
                '  Dockerfile line 7: CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", '
                '"8080"]',
            ],
        ),
        (
            "fixed_port",
            {PORT},
            [
                "the container listens on the fixed port 9000; Cloud Run sends traffic to $PORT "
                "(8080 unless the deploy says otherwise)",
                "What to do: the container must listen on $PORT: `CMD exec uvicorn *`.",
            ],
        ),
        (
            "exec_port",
            {PORT},
            [
                "the command passes the port as the literal text '$PORT': exec form (a JSON list) "
                "does not expand variables",
                "What to do: use the shell form, which does (*), or read the PORT variable in the "
                "app itself.",
            ],
        ),
        (
            "src_ignored",
            {DOCKERFILE, UPLOAD},
            [
                "Dockerfile (CMD on line 7) runs `*`, but its module src/backend/main.py is left "
                "out of the upload by .gcloudignore line 9: /src/",
                "the upload set of gcloud run deploy --source lacks what the image needs (* files, "
                "*; rules: .gcloudignore)",
                "  src/: 2 file(s) left out (src/backend/__init__.py, src/backend/main.py) by "
                ".gcloudignore line 9: /src/",
            ],
        ),
        (
            "included_gitignore",
            {DOCKERFILE, UPLOAD},
            ["  src/: 2 file(s) left out (*) by .gitignore line 1: src"],
        ),
        (
            "no_prometheus",
            {REQUIREMENT},
            [
                "requirements.txt does not list prometheus-client",
                "What to do: add it (prometheus-client): the service imports it, and the image "
                "would not have it.",
            ],
        ),
        (
            "env_unquoted",
            {ENV},
            [
                "env.yaml is not ready for gcloud run deploy --env-vars-file: 3 finding(s)",
                "  env.yaml line 1: CONCEPT_RECALL_METRICS_ENABLED: 1 is read as a number, not a "
                "string, and gcloud --env-vars-file takes strings only; quote it: "
                'CONCEPT_RECALL_METRICS_ENABLED: "1"',
                "  env.yaml line 2: AUTH_DEV_MODE: false is read as a boolean, not a string, and "
                'gcloud --env-vars-file takes strings only; quote it: AUTH_DEV_MODE: "false"',
                "  env.yaml line 1: CONCEPT_RECALL_METRICS_ENABLED is '1'; the service switches its "
                "metrics on only for 'true' (metrics.enable_value in the contract)",
                "  differs from the gate's --env-file (reported, not failed): *",
            ],
        ),
    ],
)
def test_each_broken_tree_fails_its_check_with_the_file_line_and_fix(
    gate_dir, tree, name, failing, lines
):
    run = run_gate(gate_dir, f"--preflight={tree(name)}")
    run.expect(failed=failing)
    assert run.result.ret == 1
    run.result.stdout.fnmatch_lines(lines)


def test_an_allow_list_and_gclouds_default_keep_src(gate_dir, tree):
    for name in ("allow_list", "default_rules"):
        run = run_gate(gate_dir, f"--preflight={tree(name)}")
        run.expect()


def test_the_contract_can_ask_for_a_pinned_version(gate_dir, tree):
    edit_contract(gate_dir, "preflight", "requirements", ["prometheus-client>=0.20"])
    run = run_gate(gate_dir, f"--preflight={tree('pinned')}")
    run.expect(failed={"test_requirement_is_listed[prometheus-client>=0.20]"})
    run.result.stdout.fnmatch_lines(
        [
            "requirements.txt line 2 pins prometheus-client to 0.19.0; the contract asks for "
            "prometheus-client>=0.20"
        ]
    )
    unpinned = run_gate(gate_dir, f"--preflight={tree('good')}")
    unpinned.result.stdout.fnmatch_lines(
        [
            "requirements.txt line 3 lists `prometheus_client[[]twisted]>=0.20 ; python_version >= "
            '"3.9"`, not a pinned version; the contract asks for prometheus-client>=0.20'
        ]
    )


def test_pyproject_dependencies_count_as_requirements(gate_dir, tree):
    edit_contract(gate_dir, "preflight", "required_paths", ["src/", "Dockerfile", "pyproject.toml"])
    run = run_gate(gate_dir, f"--preflight={tree('pyproject')}")
    run.expect()
    assert run.verdicts[REQUIREMENT]["summary"] == (
        "pyproject.toml line 6 lists `Prometheus.Client >= 0.20`"
    )


def test_a_missing_folder_is_not_checked(gate_dir, tmp_path):
    run = run_gate(gate_dir, f"--preflight={tmp_path / 'nowhere'}")
    assert run.errors == PREFLIGHT
    run.result.stdout.fnmatch_lines(
        [
            "cloudrun-acceptance: * checks not checked: --preflight=*/nowhere is not a folder; "
            "give the service's source tree"
        ]
    )


@pytest.mark.parametrize("testpaths", [True, False], ids=["testpaths", "contract-folder"])
def test_a_pre_flight_module_that_is_not_the_gates_is_collected(gate_dir, testpaths):
    """The plugin is loaded in every pytest run of its environment: only the gate's built-in
    test_preflight.py waits for --preflight; a team's module of that name is its own."""
    if not testpaths:
        ini = gate_dir.path / "pytest.ini"
        lines = ini.read_text().splitlines(keepends=True)
        ini.write_text("".join(line for line in lines if not line.startswith("testpaths")))
    (gate_dir.path / "tests/tools").mkdir()
    (gate_dir.path / "tests/tools/test_preflight_tools.py").write_text(
        "def test_a_tool():\n    pass\n"
    )
    result = gate_dir.runpytest(
        "tests/acceptance", "tests/tools", "--service-url=http://127.0.0.1:9", "--co", "-q"
    )
    result.stdout.fnmatch_lines(["tests/tools/test_preflight_tools.py::test_a_tool"])
    result.stdout.no_fnmatch_line("cloudrun_acceptance/gate/test_preflight.py::*")
    assert "cloudrun_acceptance/gate/test_health.py::test_health_answers" in result.outlines
