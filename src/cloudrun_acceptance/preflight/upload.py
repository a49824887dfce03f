"""The upload set of ``gcloud run deploy --source``, computed with gcloud's rules.

gcloud reads ``.gcloudignore`` at the root (its ``#!include:FILE`` lines bring in another file's
patterns, one level deep). Without one, it ignores nothing, unless the folder is a git checkout
(a ``.git`` or ``.gitignore``): then it ignores ``.gcloudignore``, ``.git`` and ``.gitignore``,
and includes ``.gitignore``'s patterns. A path is left out when any of its prefixes (each parent
folder, then the file) is, by the last pattern that matches that prefix; a file under a folder
left out cannot be brought back. Each pattern is compiled with pathspec's gitignore patterns.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.preflight import Rule, UploadSet

if TYPE_CHECKING:
    from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

IGNORE_FILE = ".gcloudignore"
DEFAULT_RULES = (".gcloudignore", ".git", ".gitignore")


@dataclass(frozen=True)
class _Pattern:
    rule: Rule
    compiled: GitIgnoreSpecPattern

    @property
    def ignores(self) -> bool:
        return bool(self.compiled.include)

    def matches(self, path: str) -> bool:
        return self.compiled.match_file(path) is not None


def upload_set(root: Path, keep_excluded_under: Iterable[str] = ()) -> UploadSet:
    """The files gcloud would upload from ``root``; for the files it leaves out under the paths
    of ``keep_excluded_under`` (and at the top level), the rule that left each out."""
    patterns, rules_from = _patterns(root)
    watched = tuple(path.rstrip("/") for path in keep_excluded_under)
    files: dict[str, int] = {}
    excluded: dict[str, Rule] = {}
    for folder, dirnames, filenames in os.walk(root):
        relative = Path(folder).relative_to(root).as_posix()
        base = "" if relative == "." else f"{relative}/"
        for name in sorted(filenames):
            path = base + name
            rule = _excluded_by(patterns, path)
            if rule is None:
                files[path] = _size(Path(folder) / name)
            else:
                excluded[path] = rule
        for name in list(dirnames):
            path = base + name
            rule = _excluded_by(patterns, path, is_dir=True)
            if rule is not None and not _overlaps(path, watched):
                dirnames.remove(name)  # gcloud does not look inside; neither does the report
                excluded[f"{path}/"] = rule
    return UploadSet(rules_from, files, excluded)


def _excluded_by(patterns: list[_Pattern], path: str, *, is_dir: bool = False) -> Rule | None:
    """The rule that leaves ``path`` out, checking each prefix from the top; None: uploaded."""
    parts = path.split("/")
    for depth in range(1, len(parts) + 1):
        prefix = "/".join(parts[:depth])
        folder = depth < len(parts) or is_dir
        candidate = f"{prefix}/" if folder else prefix
        decided: _Pattern | None = None
        for pattern in patterns:
            if pattern.matches(candidate):
                decided = pattern
        if decided is not None and decided.ignores:
            return decided.rule
    return None


def _patterns(root: Path) -> tuple[list[_Pattern], str]:
    from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

    ignore = root / IGNORE_FILE
    if ignore.is_file():
        return _read(root, IGNORE_FILE, include_depth=1), IGNORE_FILE
    if not (root / ".git").exists() and not (root / ".gitignore").exists():
        return [], "no .gcloudignore and no git files: gcloud uploads every file"
    patterns = [
        _Pattern(Rule("gcloud's default", 0, line), GitIgnoreSpecPattern(line))
        for line in DEFAULT_RULES
    ]
    if (root / ".gitignore").is_file():
        patterns += _read(root, ".gitignore", include_depth=0)
        return (
            patterns,
            "gcloud's default (no .gcloudignore): .git, .gitignore and .gitignore's rules",
        )
    return patterns, "gcloud's default (no .gcloudignore): .gcloudignore, .git and .gitignore"


def _read(root: Path, name: str, *, include_depth: int) -> list[_Pattern]:
    from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

    patterns: list[_Pattern] = []
    try:
        lines = (root / name).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return patterns
    for number, line in enumerate(lines, start=1):
        if line.startswith("#"):
            directive = line[1:].lstrip()
            if directive.startswith("!include:") and include_depth > 0:
                included = directive[len("!include:") :].strip()
                if "/" not in included:
                    patterns += _read(root, included, include_depth=include_depth - 1)
            continue
        if not line.strip():
            continue
        compiled = GitIgnoreSpecPattern(line)
        if compiled.include is not None:
            patterns.append(_Pattern(Rule(name, number, line), compiled))
    return patterns


def _overlaps(path: str, watched: tuple[str, ...]) -> bool:
    return any(w == path or w.startswith(f"{path}/") or path.startswith(f"{w}/") for w in watched)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
