"""What `init` writes is what this repository's gate runs: the package's templates are links to
these very files, so they cannot drift."""

from __future__ import annotations

import os

import pytest

from cloudrun_acceptance.scaffold.files import templates
from tests.paths import REPO

SOURCES = {
    "pytest.ini": "pytest.ini",
    "conftest.py": "conftest.py",
    "env.yaml": "env.yaml",
    ".github/workflows/cloudrun-acceptance.yml": "docs/ci/github-actions.yml",
    "cloudbuild-acceptance.yaml": "docs/ci/cloudbuild.yaml",
}


@pytest.mark.parametrize("ci", ["github", "cloudbuild"])
def test_every_template_is_the_repositorys_own_file(ci):
    chosen = templates(ci)
    acceptance = sorted(
        f"tests/acceptance/{p.name}"
        for p in (REPO / "tests/acceptance").iterdir()
        if p.is_file() and p.suffix in {".py", ".yaml"}
    )
    assert sorted(t.destination for t in chosen if t.destination.startswith("tests/")) == acceptance
    for template in chosen:
        source = REPO / SOURCES.get(template.destination, template.destination)
        assert os.path.samefile(str(template.source), source), template.destination
        assert template.read() == source.read_bytes()


def test_no_ci_writes_no_workflow():
    assert not [
        t for t in templates("none") if "cloudbuild" in t.destination or ".github" in t.destination
    ]
