"""gcloud's ignore patterns: how one line of a ``.gcloudignore`` is read, and what it matches.

The rules are those of gcloud 528's ``command_lib/util/glob.py`` and ``gcloudignore.py`` (the
tests cite each, row by row); none is git's. A line is read as gcloud reads it: a leading ``!``
negates, a trailing ``/`` matches folders only, then trailing spaces are stripped unless escaped,
then every backslash escape is removed (an escaped ``*`` is a wildcard again). A pattern is cut
at each ``/`` and matched right to left against the path's names with ``fnmatch``, the module
gcloud uses, so ``[!a]`` negates and ``[^a]`` is literal. Its left end is free: ``src/main.py``
matches ``app/src/main.py``; only a leading ``/`` or a ``**`` ties it to the top. A leading
``*`` matches the top name alone, or a name below a one-character folder (gcloud tests the
length of the rest of the path, not its depth).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatch

from ..model.preflight import Rule


@dataclass(frozen=True)
class Pattern:
    """A line of an ignore file, read: its parts between slashes, whether it brings paths
    back (``!``), whether it matches folders only (a trailing ``/``), and where it is."""

    rule: Rule
    parts: tuple[str, ...]
    negated: bool = False
    folders_only: bool = False

    def matches(self, names: Sequence[str], depth: int, is_dir: bool) -> bool:
        """Whether it matches the path made of the first ``depth`` of ``names``."""
        if self.folders_only and not is_dir:
            return False
        return _fits(self.parts, len(self.parts), names, depth)


@dataclass(frozen=True)
class Skipped:
    """A line gcloud does not read as a pattern (it raises InvalidLineError and goes on)."""

    rule: Rule
    reason: str


def read_line(rule: Rule) -> Pattern | Skipped:
    """The pattern of a line that is not a comment (``#``) nor a ``#!include:``."""
    body = rule.text
    negated = body.startswith("!")
    if negated:
        body = body[1:]
    folders_only = body.endswith("/")
    if folders_only:  # before the spaces: `logs/ ` keeps its slash, and matches nothing
        body = body[:-1]
    body = _strip_trailing_spaces(body).replace("\\ ", " ")
    trailing = len(body) - len(body.rstrip("\\"))
    if trailing % 2:
        return Skipped(rule, "it ends in an odd number of backslashes")
    body = _unescape(body)
    if not body:
        return Skipped(rule, "it is blank once read")
    return Pattern(rule, tuple(body.split("/")), negated, folders_only)


def left_out_by(
    patterns: Sequence[Pattern], names: Sequence[str], *, is_dir: bool, known: int = 0
) -> Rule | None:
    """The rule that leaves the path of ``names`` out, or None when gcloud uploads it.

    Each prefix of the path (each parent folder, then the path) is judged by the last pattern
    that matches it; the first prefix judged ignored leaves the path out. The first ``known``
    prefixes are taken as already judged (a folder the walk went into).
    """
    for depth in range(known + 1, len(names) + 1):
        prefix_is_dir = depth < len(names) or is_dir
        for pattern in reversed(patterns):
            if pattern.matches(names, depth, prefix_is_dir):
                if not pattern.negated:
                    return pattern.rule
                break
    return None


def _fits(parts: tuple[str, ...], count: int, names: Sequence[str], depth: int) -> bool:
    """Whether the first ``count`` parts fit the first ``depth`` names, both read from the
    right. Depth 0 is the top folder, which gcloud reads as one empty name; below 0, nothing
    is left to match."""
    while count:
        if depth < 0:
            return False
        part = parts[count - 1]
        if part == "**":
            # The parts before `**` are matched from the top, against any prefix (itself too).
            head = parts[: count - 1]
            if not head or head[0] != "":
                head = ("", *head)
            return any(_fits(head, len(head), names, cut) for cut in range(depth + 1))
        if part == "*" and count == 1 and (depth > 2 or (depth == 2 and len(names[0]) > 1)):
            return False
        if not fnmatch(names[depth - 1] if depth else "", part):
            return False
        count -= 1
        depth -= 1
    return True


def _strip_trailing_spaces(text: str) -> str:
    """``text`` without its trailing spaces; an escaped space (``\\ ``) is not one of them."""
    end = index = 0
    while index < len(text):
        if text[index] == "\\":
            index = min(index + 2, len(text))
            end = index
            continue
        if text[index] != " ":
            end = index + 1
        index += 1
    return text[:end]


def _unescape(text: str) -> str:
    """A backslash before any other character is dropped; then a pair of them is one."""
    kept = [
        char
        for index, char in enumerate(text)
        if char != "\\" or index + 1 == len(text) or text[index + 1] == "\\"
    ]
    out: list[str] = []
    run = 0
    for char in [*kept, ""]:
        if char == "\\":
            run += 1
            continue
        out.append("\\" * ((run + 1) // 2) + char)
        run = 0
    return "".join(out)
