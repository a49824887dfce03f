"""What the gate did to traffic, and why, for the markdown report, the terminal and JUnit."""

from __future__ import annotations

from datetime import UTC

from ..model.release import ReleaseOutcome
from ..model.service import TrafficRow
from .advice import advice_markdown, command_block

TITLES = {"promote": "promote", "rollback": "roll back", "none": "no change"}


def _table(rows: tuple[TrafficRow, ...]) -> str:
    return "<br>".join(str(row).strip() for row in rows) or "unknown"


def release_markdown(outcome: ReleaseOutcome | None) -> list[str]:
    """The report's Traffic section: the decision, its reason, what changed, and the commands
    for the operator when the gate did not act."""
    if outcome is None:
        return []
    plan = outcome.plan
    result = ("❌ " if outcome.failed else "✅ " if outcome.changed else "") + outcome.summary
    rows = [("Decision", TITLES[plan.action]), ("Why", plan.reason)]
    if outcome.changed or outcome.failed:
        rows.append(("Result", result))
    if outcome.at is not None:
        rows.append(("When", outcome.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")))
    if outcome.operation:
        rows.append(("Operation", f"`{outcome.operation}`"))
    rows.append(("Traffic before", _table(outcome.before)))
    if outcome.after:
        rows.append(("Traffic after", _table(outcome.after)))
    lines = ["", "## Traffic", "", "| Field | Value |", "|---|---|"]
    lines += [f"| {name} | {' '.join(value.split()).replace('|', '/')} |" for name, value in rows]
    lines += advice_markdown(outcome.advice)
    if plan.commands:
        lines += ["", "To act by hand:", "", *command_block(*plan.commands)]
    return lines


def release_lines(outcome: ReleaseOutcome | None) -> list[str]:
    """The terminal's closing lines about traffic."""
    if outcome is None:
        return []
    lines = [f"cloudrun-acceptance: traffic: {outcome.summary}"]
    if outcome.advice:
        lines.append(f"cloudrun-acceptance: what to do: {outcome.advice}")
    lines += [f"cloudrun-acceptance: by hand: {command}" for command in outcome.plan.commands]
    return lines


def release_properties(outcome: ReleaseOutcome | None) -> dict[str, str | None]:
    """JUnit testsuite properties: the decision, its result and the operation."""
    if outcome is None:
        return {}
    result = "failed" if outcome.failed else "done" if outcome.changed else "nothing changed"
    return {
        "traffic_action": outcome.plan.action,
        "traffic_result": result,
        "traffic_operation": outcome.operation or None,
    }
