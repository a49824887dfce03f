"""`upgrade` plans before it changes anything: the copies it recognises, the contract's version
line, and the refusals that name the fix."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

import pytest

from cloudrun_acceptance.config.builtins import check_names
from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.model.errors import ConfigError
from cloudrun_acceptance.scaffold.upgrade import apply, plan_upgrade
from cloudrun_acceptance.scaffold.written import WRITTEN
from tests.earlier_init import module_text, written
from tests.paths import REPO

ADOPTED = REPO / "tests/fixtures/adopted/0.1.0-76d86c7"
CONTRACT = "tests/acceptance/contract.yaml"


def contract_only(tmp_path, text):
    path = tmp_path / CONTRACT
    path.parent.mkdir(parents=True)
    path.write_text(text)
    return path


def test_a_version_line_is_added_above_the_first_key_and_the_rest_is_kept(tmp_path):
    path = contract_only(tmp_path, "# ours\n\nhealth: {path: /healthz}  # kept\n")
    plan = plan_upgrade(tmp_path)
    apply(plan)
    assert path.read_text() == (
        "# ours\n\nversion: 2  # the contract's format, which the gate checks\n\n"
        "health: {path: /healthz}  # kept\n"
    )
    assert load_contract(path).health_path == "/healthz"
    assert plan_upgrade(tmp_path).pending == []


def test_an_older_version_line_is_rewritten_and_a_newer_one_refused(tmp_path):
    path = contract_only(tmp_path, "version: 1\nhealth: {path: /h}\n")
    (change,) = plan_upgrade(tmp_path).pending
    assert change.why == "version: 1 becomes version: 2"
    path.write_text("version: 3\nhealth: {path: /h}\n")
    with pytest.raises(ConfigError, match=r"version: 3 is newer than this gate reads \(2, "):
        plan_upgrade(tmp_path)


def test_without_a_contract_it_says_where_it_looked(tmp_path):
    with pytest.raises(ConfigError) as caught:
        plan_upgrade(tmp_path)
    assert str(caught.value) == (
        f"no contract at {tmp_path / CONTRACT}; upgrade works in a repository the gate was "
        "written into: run it there, or give --contract PATH"
    )


def test_an_edited_pytest_ini_and_conftest_are_the_teams(tmp_path):
    shutil.copytree(ADOPTED, tmp_path, dirs_exist_ok=True)
    (tmp_path / "pytest.ini").write_text((tmp_path / "pytest.ini").read_text() + "# ours\n")
    (tmp_path / "conftest.py").write_text("import pytest\n")
    touched = {str(c.path.relative_to(tmp_path)) for c in plan_upgrade(tmp_path).pending}
    assert "pytest.ini" not in touched and "conftest.py" not in touched
    assert CONTRACT in touched


def test_every_copy_an_earlier_init_wrote_is_in_the_table():
    for path in ADOPTED.rglob("*"):
        relative = str(path.relative_to(ADOPTED))
        if relative in WRITTEN:
            assert hashlib.sha256(path.read_bytes()).hexdigest() in WRITTEN[relative], relative
    assert set(check_names()) >= {"test_health_answers", "test_rollout_step"}


def test_the_table_is_the_repositorys_history():
    """scaffold/written.py is generated from git (python -m tests.earlier_init); a fresh clone
    holds the history, an export of the tree does not."""
    inside = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", "58ed70b^{commit}"],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    if inside.returncode != 0:
        pytest.skip("no git history here (an export of the tree): the table cannot be rebuilt")
    table = REPO / "src/cloudrun_acceptance/scaffold/written.py"
    assert module_text(written()) == table.read_text()


def test_an_edited_pytest_ini_gets_its_bare_gate_keys_renamed(tmp_path):
    shutil.copytree(ADOPTED, tmp_path, dirs_exist_ok=True)
    ini = tmp_path / "pytest.ini"
    ini.write_text(ini.read_text() + "project = my-project\n")
    (change,) = [c for c in plan_upgrade(tmp_path).pending if c.path == ini]
    assert change.why == (
        "the gate's ini keys renamed: project -> cloudrun_project; nothing else changes"
    )
    assert change.content.decode() == ini.read_text().replace("\nproject =", "\ncloudrun_project =")


def test_a_bare_gate_key_beside_its_new_name_is_commented_out(tmp_path):
    shutil.copytree(ADOPTED, tmp_path, dirs_exist_ok=True)
    ini = tmp_path / "pytest.ini"
    ini.write_text(ini.read_text() + "project = old-proj\ncloudrun_project = new-proj\n")
    (change,) = [c for c in plan_upgrade(tmp_path).pending if c.path == ini]
    assert change.why == (
        "project commented out, since cloudrun_project is set too (the value the gate reads); "
        "nothing else changes"
    )
    assert change.content.decode() == ini.read_text().replace("\nproject =", "\n# project =")
