"""The rollout's table, in the report and at the end of the terminal: a row per step, with
the share, the window, each revision's users' requests, 5xx rate and p50/p95, the verdict and
what the gate did to traffic.

It reads the figures of the step checks (cloudrun_acceptance/gate/test_rollout.py), as the
comparison's section reads its checks'.
"""

from __future__ import annotations

from .cells import ICONS, cell
from .record import CheckResult, RunRecord

STEP_CHECK = "test_rollout_step["
COLUMNS = ("Step", "Share", "Window", "Requests", "5xx rate", "p50 (ms)", "p95 (ms)")
HEADER = (*COLUMNS, "Verdict", "Action")


def _steps(record: RunRecord) -> list[CheckResult]:
    return [
        result
        for nodeid, result in record.results.items()
        if STEP_CHECK in nodeid and "share (%)" in result.figures
    ]


def _planned(record: RunRecord) -> int:
    """How many steps the rollout has (those not reached included)."""
    return sum(1 for nodeid in record.results if STEP_CHECK in nodeid)


def _pair(figures: dict[str, str], what: str) -> str:
    return f"{figures.get(f'candidate {what}', '-')} / {figures.get(f'stable {what}', '-')}"


def _row(index: int, total: int, result: CheckResult) -> tuple[str, ...]:
    figures = result.figures
    step = f"{index} of {total}"
    window = figures.get("window", "-").rpartition("(")[2].removesuffix(")") or "-"
    holds = int(figures.get("holds", "0") or 0)
    early = " (early)" if figures.get("ended", "").startswith("early") else ""
    return (
        step,
        f"{figures.get('share (%)', '-')}%",
        window + (f", {holds} held" if holds else ""),
        _pair(figures, "requests"),
        _pair(figures, "5xx rate"),
        _pair(figures, "p50 (ms)"),
        _pair(figures, "p95 (ms)"),
        result.shown_outcome + early + (f" ({figures['verdict']})" if "verdict" in figures else ""),
        figures.get("action", "-"),
    )


def rollout_markdown(record: RunRecord) -> list[str]:
    """The report's Rollout section (none without a step that ran)."""
    steps = _steps(record)
    if not steps:
        return []
    lines = [
        "",
        "## Rollout",
        "",
        "Each step's users' requests, candidate / stable, from Cloud Run's request logs; a step "
        "ends early as soon as its evidence decides (every look is counted).",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "---|" * len(HEADER),
    ]
    for index, result in enumerate(steps, 1):
        row = list(_row(index, _planned(record), result))
        row[-2] = f"{ICONS.get(result.shown_outcome, '')} {row[-2]}"
        lines.append("| " + " | ".join(cell(text) for text in row) + " |")
    first = steps[0].figures
    if "before the rollout" in first:
        lines += ["", f"Before the first step: {cell(first['before the rollout'])}."]
    if "error budget" in first:
        lines += [
            "",
            "Every look of a step is counted by its tests; the steps share the error budget: "
            f"{cell(first['error budget'])}.",
        ]
    return lines


def rollout_lines(record: RunRecord) -> list[str]:
    """The same table for the terminal, in aligned columns."""
    total = _planned(record)
    rows = [HEADER, *(_row(i, total, result) for i, result in enumerate(_steps(record), 1))]
    if len(rows) == 1:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    return [
        "cloudrun-acceptance: rollout: "
        + "  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
