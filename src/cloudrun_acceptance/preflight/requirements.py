"""The service's requirements: requirements.txt, else pyproject.toml's dependencies, each line
parsed with packaging's Requirement (names, extras, markers and specifiers as pip reads them)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as Parsed
from packaging.utils import canonicalize_name

from ..model.preflight import Requirement, Requirements

REQUIREMENTS = "requirements.txt"
PYPROJECT = "pyproject.toml"


def read_requirements(root: Path) -> Requirements:
    """requirements.txt at ``root``, else pyproject.toml's ``[project] dependencies``."""
    if (root / REQUIREMENTS).is_file():
        return _from_lines(REQUIREMENTS, (root / REQUIREMENTS).read_text(errors="replace"))
    if (root / PYPROJECT).is_file():
        return _from_pyproject(root / PYPROJECT)
    return Requirements(REQUIREMENTS, found=False)


def _from_lines(name: str, text: str) -> Requirements:
    entries: list[Requirement] = []
    unparsable: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-", "--")) or "://" in line:
            continue  # comments, pip options (-r, -e, --index-url), URLs
        entry = _parsed(line, number, raw)
        if entry is None:
            unparsable.append((number, raw))
        else:
            entries.append(entry)
    return Requirements(name, True, tuple(entries), tuple(unparsable))


def _from_pyproject(path: Path) -> Requirements:
    try:
        project = tomllib.loads(path.read_text(errors="replace")).get("project", {})
    except tomllib.TOMLDecodeError as err:
        return Requirements(PYPROJECT, True, unparsable=((0, f"not valid TOML: {err}"),))
    lines = path.read_text(errors="replace").splitlines()
    entries: list[Requirement] = []
    unparsable: list[tuple[int, str]] = []
    for dependency in project.get("dependencies", []):
        number = next((i for i, text in enumerate(lines, 1) if dependency in text), 0)
        entry = _parsed(str(dependency), number, str(dependency))
        if entry is None:
            unparsable.append((number, str(dependency)))
        else:
            entries.append(entry)
    return Requirements(PYPROJECT, True, tuple(entries), tuple(unparsable))


def _parsed(line: str, number: int, raw: str) -> Requirement | None:
    try:
        parsed = Parsed(line)
    except InvalidRequirement:
        return None
    return Requirement(canonicalize_name(parsed.name), str(parsed.specifier), number, raw.strip())
