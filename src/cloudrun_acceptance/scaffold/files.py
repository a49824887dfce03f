"""The files `init` writes: pytest.ini (package data, templates/), the example's contract and
env.yaml (with --example), and the files it renders for the team's service (the contract,
env.yaml, the CI workflow). The built-in checks are never written: the plugin collects them
from the package."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Literal

from ..model.version import CONTRACT_VERSION

Ci = Literal["github", "cloudbuild", "none"]
CI_FILES: dict[str, tuple[str, str]] = {
    "github": ("ci/github-actions.yml", ".github/workflows/cloudrun-acceptance.yml"),
    "cloudbuild": ("ci/cloudbuild.yaml", "cloudbuild-acceptance.yaml"),
}
CONTRACT = "tests/acceptance/contract.yaml"
ENV_FILE = "env.yaml"
# Written only when absent: a repository that deploys already has its env.yaml.
KEPT_WHEN_PRESENT = (ENV_FILE,)


@dataclass(frozen=True)
class File:
    """One file to write: where it goes in the repository, and its content."""

    destination: str
    content: bytes


def _root() -> Traversable:
    return resources.files("cloudrun_acceptance").joinpath("templates")


def template_text(name: str) -> str:
    """A template of the package (``ci/github-actions.yml``), as text."""
    return _root().joinpath(*name.split("/")).read_text(encoding="utf-8")


PYTEST_INI = "pytest.ini"
# The contract's format line, as `init` drafts it and `upgrade` writes it.
VERSION_LINE = f"version: {CONTRACT_VERSION}  # the contract's format, which the gate checks"


def gate_files(*, example: bool) -> list[File]:
    """The repository's own gate files: pytest.ini; with ``example``, the example's contract
    and env.yaml too."""
    root = _root()
    chosen = [File(PYTEST_INI, (root / PYTEST_INI).read_bytes())]
    if example:
        chosen.append(File(ENV_FILE, (root / ENV_FILE).read_bytes()))
        chosen.append(File(CONTRACT, root.joinpath(*CONTRACT.split("/")).read_bytes()))
    return chosen
