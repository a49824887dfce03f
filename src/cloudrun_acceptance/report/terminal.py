"""The last word in the terminal: revision, status, counts, where the reports are."""

from __future__ import annotations

from pathlib import Path

from .record import RunRecord


def verdict_line(record: RunRecord, paths: list[Path]) -> str:
    """The last word in the terminal: revision, status, counts, where the reports are."""
    return (
        f"cloudrun-acceptance: {record.label} {record.status} ({record.counts()}); "
        f"reports: {shown_paths(paths)}"
    )


def shown_paths(paths: list[Path]) -> str:
    """The reports written, relative to the working folder when under it."""
    return ", ".join(_shown_path(path) for path in paths) or "no report written"


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
