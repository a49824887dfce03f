"""Path options work written with = and, where pytest lets them, with a space; where it does not
(the value made pytest choose another rootdir), the gate stops and says what to write instead."""

from __future__ import annotations

import shutil

import pytest

from tests.integration.gatekit import run_gate


@pytest.fixture
def elsewhere(gate_dir, tmp_path_factory):
    """A folder outside the gate's, holding a copy of the contract and of env.yaml."""
    folder = tmp_path_factory.mktemp("service")
    shutil.copy(gate_dir.path / "tests/acceptance/contract.yaml", folder / "contract.yaml")
    shutil.copy(gate_dir.path / "env.yaml", folder / "env.yaml")
    (folder / "reports").mkdir()
    return folder


OPTIONS = [
    ("--contract", "contract.yaml"),
    ("--env-file", "env.yaml"),
    ("--reports-dir", "reports"),
]


@pytest.mark.parametrize(("flag", "name"), OPTIONS)
def test_with_an_equals_sign_the_value_outside_is_used(gate_dir, elsewhere, flag, name):
    value = elsewhere / name
    run = run_gate(gate_dir, "--sandbox", f"{flag}={value}", "-k", "health")
    assert run.result.ret == 0, run.result.stdout.str() + run.result.stderr.str()
    run.result.stdout.fnmatch_lines(["configfile: pytest.ini"])
    if flag == "--reports-dir":
        assert list(value.glob("*.md")) and list(value.glob("*.xml"))


@pytest.mark.parametrize(("flag", "name"), OPTIONS)
def test_with_a_space_the_moved_rootdir_is_a_usage_error_with_the_fix(
    gate_dir, elsewhere, flag, name
):
    value = str(elsewhere / name)
    run = run_gate(gate_dir, "--sandbox", flag, value, "-k", "health")
    assert run.result.ret == pytest.ExitCode.USAGE_ERROR
    run.result.stderr.fnmatch_lines(
        [
            f"ERROR: {flag} {value}, with a space, made pytest take {value} for a test path when it "
            f"chose its rootdir: it chose * (without an ini file) instead of {gate_dir.path} (with "
            "pytest.ini). Write "
            f"{flag}={value} (with =), or add -c pytest.ini (the ini file it would have read)."
        ]
    )


@pytest.mark.parametrize(("flag", "name"), OPTIONS)
def test_with_a_space_and_the_ini_file_named_it_works(gate_dir, elsewhere, flag, name):
    run = run_gate(
        gate_dir, "--sandbox", "-c", "pytest.ini", flag, str(elsewhere / name), "-k", "health"
    )
    assert run.result.ret == 0, run.result.stdout.str() + run.result.stderr.str()


def test_with_a_space_inside_the_gates_folder_nothing_moves(gate_dir):
    (gate_dir.path / "out").mkdir()
    run = run_gate(gate_dir, "--sandbox", "--reports-dir", "out", "-k", "health")
    assert run.result.ret == 0, run.result.stderr.str()
    assert list((gate_dir.path / "out").glob("*.md"))


@pytest.mark.parametrize("name", ["contract.yaml", "contract.yaml.tmpl"])
def test_a_contract_where_pytest_would_not_look_still_brings_the_built_in_checks(gate_dir, name):
    """No testpaths, and the contract in a folder pytest does not recurse into (its name
    starts with a dot), under any file name: the built-in checks are collected with it, and
    the forced analysis is sent only for checks that run."""
    ini = gate_dir.path / "pytest.ini"
    ini.write_text(
        "".join(line for line in ini.read_text().splitlines(True) if "testpaths" not in line)
    )
    hidden = gate_dir.path / ".gate"
    hidden.mkdir()
    shutil.move(gate_dir.path / "tests/acceptance/contract.yaml", hidden / name)
    run = run_gate(gate_dir, "--sandbox", f"--contract=.gate/{name}")
    assert run.result.ret == 0
    assert run.passed >= {"test_health_answers", "test_forced_analysis_moves_the_counters"}
    assert len(run.outcomes) == 48
