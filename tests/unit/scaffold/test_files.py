"""What `init` writes is what this repository's gate runs: the package's gate files are links to
these very files, and docs/ci/ is the workflow templates rendered for the example's service."""

from __future__ import annotations

import os

import pytest

from cloudrun_acceptance.scaffold.files import CI_FILES, gate_files, template_text
from cloudrun_acceptance.scaffold.workflow import example_values, render
from tests.paths import REPO


@pytest.mark.parametrize(
    ("example", "written"),
    [
        (True, {"pytest.ini", "env.yaml", "tests/acceptance/contract.yaml"}),
        (False, {"pytest.ini"}),  # a draft's contract and env.yaml are rendered for the team
    ],
    ids=["example", "draft"],
)
def test_every_gate_file_is_the_repositorys_own_and_no_check_is_copied(example, written):
    chosen = {file.destination: file.content for file in gate_files(example=example)}
    assert set(chosen) == written
    for destination, content in chosen.items():
        assert content == (REPO / destination).read_bytes(), destination
    templates = REPO / "src/cloudrun_acceptance/templates"
    assert os.path.samefile(templates / "tests/acceptance", REPO / "tests/acceptance")
    # The example's folder holds its contract alone: the built-in checks are the package's.
    assert [p.name for p in (REPO / "tests/acceptance").iterdir()] == ["contract.yaml"]


@pytest.mark.parametrize("ci", sorted(CI_FILES))
def test_docs_ci_is_the_template_rendered_for_the_example(ci):
    template, _ = CI_FILES[ci]
    docs = REPO / "docs/ci" / template.removeprefix("ci/")
    assert render(template_text(template), example_values().markers()) == docs.read_text(), (
        f"docs/ci/{docs.name} is the rendering of templates/{template}: render it again "
        "(scaffold.workflow.render with example_values())"
    )
