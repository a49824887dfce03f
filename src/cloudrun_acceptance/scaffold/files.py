"""The files `init` writes: the gate this repository runs, shipped as package data (templates/)."""

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
# Written only when absent: a repository that deploys already has its env.yaml.
KEPT_WHEN_PRESENT = ("env.yaml",)


@dataclass(frozen=True)
class Template:
    """One file to write: where it goes in the repository, and its content."""

    destination: str
    source: Traversable

    def read(self) -> bytes:
        """The file's bytes."""
        return self.source.read_bytes()


def templates(ci: Ci) -> list[Template]:
    """Every file of the gate, and the CI workflow ``ci`` names."""
    root = resources.files("cloudrun_acceptance").joinpath("templates")
    chosen = [Template(name, root / name) for name in ("pytest.ini", "conftest.py", "env.yaml")]
    chosen += [
        Template(f"tests/acceptance/{path}", entry)
        for path, entry in _walk(root / "tests" / "acceptance")
    ]
    if ci != "none":
        source, destination = CI_FILES[ci]
        chosen.append(Template(destination, root.joinpath(*source.split("/"))))
    return chosen


def _walk(folder: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name == "__pycache__" or entry.name.endswith(".pyc"):
            continue
        if entry.is_dir():
            yield from _walk(entry, f"{prefix}{entry.name}/")
        else:
            yield f"{prefix}{entry.name}", entry
