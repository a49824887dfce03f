"""The service's requirements: requirements.txt, else pyproject.toml's dependencies, each line
parsed with packaging's Requirement (names, extras, markers and specifiers as pip reads them)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
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
    lines: list[tuple[int, str, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-", "--")) or "://" in line:
            continue  # comments, pip options (-r, -e, --index-url), URLs
        lines.append((number, line, raw))
    return _collected(name, lines)


def _from_pyproject(path: Path) -> Requirements:
    text = path.read_text(errors="replace")
    try:
        project = tomllib.loads(text).get("project", {})
    except tomllib.TOMLDecodeError as err:
        return Requirements(PYPROJECT, True, unparsable=((0, f"not valid TOML: {err}"),))
    lines = text.splitlines()
    dependencies = [str(dependency) for dependency in project.get("dependencies", [])]
    return _collected(PYPROJECT, [(_line_of(dep, lines), dep, dep) for dep in dependencies])


def _line_of(dependency: str, lines: list[str]) -> int:
    """The number of the first line that holds ``dependency`` (0: none does)."""
    return next((number for number, line in enumerate(lines, 1) if dependency in line), 0)


def _collected(name: str, lines: Iterable[tuple[int, str, str]]) -> Requirements:
    """Each ``(line number, requirement, line as written)`` parsed, or kept as unparsable."""
    entries: list[Requirement] = []
    unparsable: list[tuple[int, str]] = []
    for number, line, raw in lines:
        entry = _parsed(line, number, raw)
        if entry is None:
            unparsable.append((number, raw))
        else:
            entries.append(entry)
    return Requirements(name, True, tuple(entries), tuple(unparsable))


def _parsed(line: str, number: int, raw: str) -> Requirement | None:
    try:
        parsed = Parsed(line)
    except InvalidRequirement:
        return None
    return Requirement(canonicalize_name(parsed.name), str(parsed.specifier), number, raw.strip())
