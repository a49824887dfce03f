"""The files `init` writes: the gate this repository runs (package data, templates/), and the
files it renders for the team's service (the contract, env.yaml, the CI workflow)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Literal

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


def gate_files(*, example: bool) -> list[File]:
    """The gate's own files: pytest.ini, conftest.py and the checks of tests/acceptance/; with
    ``example``, the example's contract and env.yaml too."""
    root = _root()
    names = ("pytest.ini", "conftest.py", ENV_FILE) if example else ("pytest.ini", "conftest.py")
    chosen = [File(name, (root / name).read_bytes()) for name in names]
    for path, entry in _walk(root / "tests" / "acceptance"):
        if example or path != "contract.yaml":
            chosen.append(File(f"tests/acceptance/{path}", entry.read_bytes()))
    return chosen


def _walk(folder: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name == "__pycache__" or entry.name.endswith(".pyc"):
            continue
        if entry.is_dir():
            yield from _walk(entry, f"{prefix}{entry.name}/")
        else:
            yield f"{prefix}{entry.name}", entry
