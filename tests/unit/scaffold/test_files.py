"""What `init` writes is what this repository's gate runs: the package's gate files are links to
these very files, and docs/ci/ is the workflow templates rendered for the example's service."""

from __future__ import annotations

import os

import pytest

from cloudrun_acceptance.scaffold.files import CI_FILES, gate_files, template_text
from cloudrun_acceptance.scaffold.workflow import example_values, render
from tests.paths import REPO

SOURCES = {"pytest.ini": "pytest.ini", "conftest.py": "conftest.py", "env.yaml": "env.yaml"}


@pytest.mark.parametrize("example", [True, False], ids=["example", "draft"])
def test_every_gate_file_is_the_repositorys_own(example):
    chosen = {file.destination: file.content for file in gate_files(example=example)}
    acceptance = {
        f"tests/acceptance/{p.name}"
        for p in (REPO / "tests/acceptance").iterdir()
        if p.is_file() and p.suffix in {".py", ".yaml"}
    }
    if not example:  # a draft's contract and env.yaml are the team's own
        acceptance.discard("tests/acceptance/contract.yaml")
        assert "env.yaml" not in chosen
    assert {name for name in chosen if name.startswith("tests/")} == acceptance
    for destination, content in chosen.items():
        assert content == (REPO / SOURCES.get(destination, destination)).read_bytes(), destination
    templates = REPO / "src/cloudrun_acceptance/templates"
    assert os.path.samefile(templates / "tests/acceptance", REPO / "tests/acceptance")


@pytest.mark.parametrize("ci", sorted(CI_FILES))
def test_docs_ci_is_the_template_rendered_for_the_example(ci):
    template, _ = CI_FILES[ci]
    docs = REPO / "docs/ci" / template.removeprefix("ci/")
    assert render(template_text(template), example_values().markers()) == docs.read_text(), (
        f"docs/ci/{docs.name} is the rendering of templates/{template}: render it again "
        "(scaffold.workflow.render with example_values())"
    )
