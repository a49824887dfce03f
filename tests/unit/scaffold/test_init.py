"""`init` writes the gate (the example's, or a draft for the team's service), refuses to
overwrite, keeps env.yaml, ignores reports/, and says what is left to fill in."""

from __future__ import annotations

import shutil

import pytest

from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.model.errors import ConfigError
from cloudrun_acceptance.scaffold.init import init
from cloudrun_acceptance.scaffold.install import InstallSpec
from cloudrun_acceptance.scaffold.workflow import PACKAGE_PLACEHOLDER
from tests.paths import REPO

SHOP = REPO / "tests/fixtures/shop"
GIT = InstallSpec("cloudrun-acceptance @ git+https://example.com/gate@abc", "installed from git")
LOCAL = InstallSpec(
    PACKAGE_PLACEHOLDER, "installed from the local folder /src, which CI cannot reach"
)


def test_the_example_writes_the_repositorys_own_gate_and_refuses_to_overwrite_it(tmp_path):
    done = init(tmp_path, ci="none", example=True, install=GIT)
    assert (tmp_path / "tests/acceptance/contract.yaml").read_bytes() == (
        REPO / "tests/acceptance/contract.yaml"
    ).read_bytes()
    assert {str(p.relative_to(tmp_path)) for p in done.written} == {
        "pytest.ini",
        "env.yaml",
        "tests/acceptance/contract.yaml",
    }
    with pytest.raises(ConfigError) as caught:
        init(tmp_path, ci="none", example=True, install=GIT)
    assert str(caught.value) == (
        f"{tmp_path / 'pytest.ini'} exists (and 1 more); init writes nothing "
        "over a file: move it away, or give --force to overwrite."
    )


def test_force_overwrites_but_env_yaml_is_kept(tmp_path):
    (tmp_path / "env.yaml").write_text('MINE: "1"\n')
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    done = init(tmp_path, ci="cloudbuild", force=True, install=GIT)
    assert (tmp_path / "env.yaml").read_text() == 'MINE: "1"\n'
    assert done.kept == [tmp_path / "env.yaml"]
    assert (tmp_path / "pytest.ini").read_bytes() == (REPO / "pytest.ini").read_bytes()
    assert (tmp_path / "cloudbuild-acceptance.yaml").is_file()


def test_an_empty_folder_gets_a_draft_whose_placeholders_the_loader_refuses(tmp_path):
    done = init(tmp_path, install=LOCAL)
    contract = tmp_path / "tests/acceptance/contract.yaml"
    # The repository's own files only: the built-in checks come from the package.
    assert sorted(str(p.relative_to(tmp_path)) for p in done.written) == [
        ".github/workflows/cloudrun-acceptance.yml",
        "env.yaml",
        "pytest.ini",
        "tests/acceptance/contract.yaml",
    ]
    assert contract.read_text().count("\nversion: 2  # the contract's format") == 1
    assert done.fill_in == [
        "tests/acceptance/contract.yaml: health.path",
        "tests/acceptance/contract.yaml: sandbox.command",
        ".github/workflows/cloudrun-acceptance.yml: PROJECT_ID, REGION, SERVICE_NAME, GATE_PACKAGE",
    ]
    with pytest.raises(ConfigError, match=r"health.path: '<FILL IN: the health path"):
        load_contract(contract)
    text = contract.read_text()
    filled = text.replace('"<FILL IN: the health path, such as /healthz>"', "/healthz")
    filled = filled.replace(
        '"<FILL IN: the command that starts your service on $PORT, such as python -m app>"',
        "python -m app",
    )
    contract.write_text(filled)
    assert load_contract(contract).sandbox.command == "python -m app"
    assert "emergence" not in text and "CONCEPT_RECALL" not in text
    assert done.next_steps[0] == (
        "edit tests/acceptance/contract.yaml",
        "replace its 2 placeholder(s): health.path, sandbox.command",
    )


def test_a_service_tree_gives_the_pre_flight_and_sandbox_sections(tmp_path):
    shutil.copytree(SHOP, tmp_path, dirs_exist_ok=True)
    done = init(tmp_path, ci="none", install=GIT)
    contract = (tmp_path / "tests/acceptance/contract.yaml").read_text()
    assert (
        "  command: python\n  required_paths: [Dockerfile, requirements.txt, shop/]\n" in contract
    )
    assert "  requirements: [prometheus-client]\n" in contract
    assert f"sandbox:{' ' * 19}# pytest --sandbox runs your own service" in contract
    assert f"  service: {tmp_path.name.lower().replace('_', '-')}" in contract
    assert done.kept == [tmp_path / "env.yaml"]
    assert any(
        line.startswith(f"read  {tmp_path / 'Dockerfile'}: `exec python -m shop.server")
        for line in done.read
    )
    assert done.next_steps[1][1].startswith(
        "the contract's checks against your own service, which the sandbox starts with `exec "
        'python -m shop.server --port "$PORT"` (the CMD on line 7)'
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (None, "# cloudrun-acceptance's reports (JUnit and markdown)\nreports/\n"),
        (
            "node_modules/",
            "node_modules/\n# cloudrun-acceptance's reports (JUnit and markdown)\nreports/\n",
        ),
        ("/reports/\n", "/reports/\n"),
    ],
    ids=["no-gitignore", "no-newline", "already"],
)
def test_reports_are_ignored_by_git(tmp_path, before, after):
    if before is not None:
        (tmp_path / ".gitignore").write_text(before)
    done = init(tmp_path, ci="none", install=GIT)
    assert (tmp_path / ".gitignore").read_text() == after
    added = "added reports/ to .gitignore (the gate writes its reports there)"
    assert (added in done.read) is (before != "/reports/\n")
