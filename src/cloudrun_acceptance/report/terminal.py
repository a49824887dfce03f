"""The last words in the terminal: the dependent errors once per cause; revision, status,
counts, and where the report is."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .record import RunRecord

# How a check that could not run because a prerequisite failed says so (plugin/fixtures*.py).
NOT_CHECKED = "not checked: "
PREFIX = "cloudrun-acceptance: "


def verdict_line(record: RunRecord, paths: list[Path]) -> str:
    """The last word in the terminal: revision, status, counts, where the reports are."""
    return (
        f"{PREFIX}{record.label} {record.status} ({record.counts()}); reports: {shown_paths(paths)}"
    )


def not_checked_lines(messages: Iterable[str]) -> list[str]:
    """One line per cause for the checks that were not checked: ``17 checks not checked: the
    scrape gave no usable exposition; see test_metrics_enabled``, in the order first seen.
    A message of several lines keeps the others, indented, under its first."""
    counts: dict[str, int] = {}
    for message in messages:
        counts[message.strip()] = counts.get(message.strip(), 0) + 1
    lines: list[str] = []
    for message, count in counts.items():
        first, *rest = message.removeprefix(NOT_CHECKED).splitlines()
        checks = "check" if count == 1 else "checks"
        lines.append(f"{PREFIX}{count} {checks} {NOT_CHECKED}{first}")
        lines += [f"  {line}" for line in rest]
    return lines


def shown_paths(paths: list[Path]) -> str:
    """The reports written, relative to the working folder when under it."""
    return ", ".join(_shown_path(path) for path in paths) or "no report written"


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
