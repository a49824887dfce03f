"""The reports of a run of several targets (one service in several regions, all or none): the
status of the whole, a row per target, and each target's own report as a section."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .causes import orphans, root_causes
from .cells import ICONS, STATUS_ICONS, cell
from .markdown import render_markdown
from .record import RunRecord
from .terminal import shown_paths

ORDER = ("FAILED", "INCONCLUSIVE", "PASSED")


def overall_status(records: Mapping[str, RunRecord]) -> str:
    """FAILED when any target failed, else INCONCLUSIVE when any was, else PASSED: the
    targets are judged all or none."""
    statuses = {record.status for record in records.values()}
    return next(status for status in ORDER if status in statuses or status == "PASSED")


def render_targets_markdown(records: Mapping[str, RunRecord]) -> str:
    """The report: the status of the whole, a row per target, then each target's report."""
    status = overall_status(records)
    icon = STATUS_ICONS[status]
    lines = [
        f"# Validation report: {len(records)} targets, all or none",
        "",
        f"**{status}** {icon}: {_why(records, status)}",
        *_causes(records),
        "",
        "| Target | Revision | Status | Checks | Traffic |",
        "|---|---|---|---|---|",
    ]
    for key, record in records.items():
        traffic = record.release.summary if record.release is not None else "not decided"
        lines.append(
            f"| {cell(key)} | {cell(record.label)} | {record.status} | {cell(record.counts())} "
            f"| {cell(traffic)} |"
        )
    for key, record in records.items():
        section = render_markdown(record).splitlines()
        section[0] = f"# {key}: {section[0].removeprefix('# Validation report: ')}"
        lines += ["", *_demoted(section)]
    return "\n".join(lines).rstrip() + "\n"


def _causes(records: Mapping[str, RunRecord]) -> list[str]:
    """Each target's root causes in a line each, above the targets' sections (where each has
    its evidence and what to do)."""
    lines = []
    for key, record in records.items():
        for result in root_causes(record):
            name = " · ".join(part for part in (result.words, result.param) if part)
            summary = result.summary or next(iter(result.message.splitlines()), "")
            icon = ICONS.get(result.shown_outcome, "")
            lines.append(f"- {cell(key)}: {icon} {cell(name)}: {cell(summary)}")
        for group in orphans(record):
            count = f"{len(group.results)} checks" if len(group.results) > 1 else "1 check"
            lines.append(f"- {cell(key)}: {ICONS['error']} {count} not run: {cell(group.detail)}")
    return ["", "## What failed", "", *lines] if lines else []


def targets_lines(records: Mapping[str, RunRecord], paths: list[Path]) -> list[str]:
    """The terminal's last words: a line per target, then the whole."""
    lines = [
        f"cloudrun-acceptance: {key}: {record.label} {record.status} ({record.counts()})"
        for key, record in records.items()
    ]
    status = overall_status(records)
    lines.append(
        f"cloudrun-acceptance: {len(records)} targets {status}: {_why(records, status)}; "
        f"reports: {shown_paths(paths)}"
    )
    return lines


def _why(records: Mapping[str, RunRecord], status: str) -> str:
    if status == "PASSED":
        return f"every target passed ({', '.join(records)})"
    others = [key for key, record in records.items() if record.status == status]
    return f"{status} in {', '.join(others)}; judged all or none, the run is {status}"


def _demoted(lines: list[str]) -> list[str]:
    """A report's headings one level down (outside code blocks), to sit under the whole's."""
    out, fenced = [], False
    for line in lines:
        if line.startswith("```"):
            fenced = not fenced
        out.append(f"#{line}" if line.startswith("#") and not fenced else line)
    return out
