"""The last word in the terminal: revision, status, counts, where the reports are."""

from __future__ import annotations

from pathlib import Path

from .record import RunRecord


def verdict_line(record: RunRecord, paths: list[Path]) -> str:
    """The last word in the terminal: revision, status, counts, where the reports are."""
    where = ", ".join(_shown_path(path) for path in paths) or "no report written"
    return (
        f"cloudrun-acceptance: {record.label} {record.status} ({record.counts()}); reports: {where}"
    )


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
