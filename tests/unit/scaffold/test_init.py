"""`init` writes the gate, refuses to overwrite, keeps env.yaml."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.model.errors import ConfigError
from cloudrun_acceptance.scaffold.init import init
from tests.paths import REPO


def test_writes_the_gate_and_refuses_to_overwrite_it(tmp_path):
    done = init(tmp_path, ci="none")
    assert (tmp_path / "tests/acceptance/contract.yaml").read_bytes() == (
        REPO / "tests/acceptance/contract.yaml"
    ).read_bytes()
    assert {p.name for p in done.written} >= {"pytest.ini", "conftest.py", "env.yaml"}
    with pytest.raises(ConfigError) as caught:
        init(tmp_path, ci="none")
    assert str(caught.value) == (
        f"{tmp_path / 'pytest.ini'} exists (and {len(done.written) - 2} more); init writes nothing "
        "over a file: move it away, or give --force to overwrite."
    )


def test_force_overwrites_but_env_yaml_is_kept(tmp_path):
    (tmp_path / "env.yaml").write_text('MINE: "1"\n')
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    done = init(tmp_path, ci="cloudbuild", force=True)
    assert (tmp_path / "env.yaml").read_text() == 'MINE: "1"\n'
    assert done.kept == (tmp_path / "env.yaml",)
    assert (tmp_path / "pytest.ini").read_bytes() == (REPO / "pytest.ini").read_bytes()
    assert (tmp_path / "cloudbuild-acceptance.yaml").is_file()
