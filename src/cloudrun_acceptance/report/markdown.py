"""The markdown validation report, in the runbook's order, readable rendered on GitHub."""

from __future__ import annotations

from datetime import UTC

from ..model.contract import RESOURCES
from ..model.errors import AdminApiError
from ..model.service import ServiceFacts
from ..model.verdict import INITIAL
from ..model.version import VERSION
from .cells import ICONS, cell
from .compare import compare_markdown
from .record import CheckResult, RunRecord
from .release import release_markdown
from .rollout_table import rollout_markdown


def render_markdown(record: RunRecord) -> str:
    """The validation report, in the runbook's order, readable rendered on GitHub."""
    target, contract = record.target, record.contract
    status_icon = {"PASSED": "✅", "FAILED": "❌", "INCONCLUSIVE": "⚠️"}[record.status]
    lines = [f"# Validation report: {record.label}", "", "| | |", "|---|---|"]
    rows: list[tuple[str, str]] = [
        ("Date", record.started.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"))
    ]
    if target is not None:
        if target.service:
            rows.append(("Service", f"{target.service} ({target.project}, {target.region})"))
        rows.append(("URL", target.url or "unknown"))
        rows.append(
            (
                "Revision",
                f"{target.revision} ({target.revision_origin})" if target.revision else "not read",
            )
        )
        if target.sandbox_service:
            rows.append(("Sandbox", target.sandbox_service))
        if target.sandbox_faults:
            rows.append(("Sandbox faults", ", ".join(target.sandbox_faults)))
    if isinstance(record.facts, ServiceFacts):
        rows.append(("Image", f"`{record.facts.revision.image}`"))
    rows.append(
        (
            "Status",
            f"**{record.status}** {status_icon}" + (" (interrupted)" if record.interrupted else ""),
        )
    )
    rows.append(("Checks", record.counts()))
    if contract is not None:
        rows.append(("Contract", f"`{contract.path.name}` (sha256 `{contract.sha256[:12]}`)"))
    duration = (record.finished - record.started).total_seconds() if record.finished else 0.0
    rows.append(("Gate", f"cloudrun-acceptance {VERSION}, {duration:.1f} s"))
    lines += [f"| {name} | {cell(value)} |" for name, value in rows]
    lines += ["", "## Checks", "", "| Check | Result | Summary |", "|---|---|---|"]
    for result in record.results.values():
        outcome = result.shown_outcome
        if outcome in {"skipped", "not run"}:
            continue  # listed once, by reason, under "Not run"
        summary = result.summary or next(iter(result.message.splitlines()), "")
        lines.append(
            f"| {cell(result.name)} | {ICONS.get(outcome, '')} {outcome} | {cell(summary)} |"
        )
    lines += _figures(record)
    lines += compare_markdown(record)
    lines += rollout_markdown(record)
    lines += _configuration(record)
    lines += release_markdown(record.release)
    lines += _failures(record)
    lines += _not_run(record)
    return "\n".join(lines).rstrip() + "\n"


def _figures(record: RunRecord) -> list[str]:
    initial = {
        key.removeprefix(INITIAL): value
        for result in record.results.values()
        for key, value in result.figures.items()
        if key.startswith(INITIAL)
    }
    lines = []
    if initial:
        lines += [
            "",
            "## Initial metric values",
            "",
            "At the first scrape, before the gate acted.",
            "",
        ]
        lines += ["| Metric | Value |", "|---|---|"]
        lines += [f"| {cell(name)} | {cell(value)} |" for name, value in initial.items()]
    with_figures = [
        (result, {k: v for k, v in result.figures.items() if not k.startswith(INITIAL)})
        for result in record.results.values()
        if "[" not in result.nodeid
    ]
    with_figures = [(result, figures) for result, figures in with_figures if figures]
    if with_figures:
        lines += ["", "## Figures"]
    for result, figures in with_figures:
        lines += ["", f"**{result.name}**", "", "| | |", "|---|---|"]
        lines += [f"| {cell(key)} | {cell(value)} |" for key, value in figures.items()]
    return lines


def _configuration(record: RunRecord) -> list[str]:
    facts, contract = record.facts, record.contract
    if isinstance(facts, AdminApiError):
        return ["", "## Configuration", "", f"Not read: {facts.summary}"]
    if facts is None:
        return []
    revision = facts.revision
    resources = revision.resources
    lines = ["", "## Configuration", "", "| | |", "|---|---|"]
    if contract is not None and contract.metrics is not None and contract.metrics.enable_env:
        enable = contract.metrics.enable_env
        lines.append(f"| {enable} | `{revision.env.get(enable, '(not set)')}` |")
    for resource in RESOURCES:
        if resource.key in resources:
            lines.append(f"| {resource.title} | {resources[resource.key]} |")
    secrets = ", ".join(f"{env} ← `{mount}`" for env, mount in revision.secrets.items()) or "none"
    lines.append(f"| Secrets (name:version; values never read) | {cell(secrets)} |")
    traffic = ", ".join(str(row).strip() for row in facts.traffic) or "unknown"
    lines.append(f"| Traffic | {cell(traffic)} |")
    return lines


def _failures(record: RunRecord) -> list[str]:
    """Each failure with its message; errors ("not checked") grouped by their shared message."""
    failing = [r for r in record.results.values() if r.outcome == "failed" or r.inconclusive]
    errors: dict[str, list[CheckResult]] = {}
    for result in record.results.values():
        if result.outcome == "error":
            errors.setdefault(result.message.rstrip(), []).append(result)
    if not failing and not errors:
        return []
    lines = ["", "## Failures"]
    for result in failing:
        lines += [
            "",
            f"### {result.shown_outcome}: {result.name}",
            "",
            "```text",
            result.message.rstrip(),
            "```",
        ]
    for message, results in errors.items():
        title = results[0].name if len(results) == 1 else f"{len(results)} checks"
        lines += ["", f"### error: {title}", ""]
        if len(results) > 1:
            lines += [f"- {result.name}" for result in results] + [""]
        lines += ["```text", message, "```"]
    return lines


def _not_run(record: RunRecord) -> list[str]:
    """The checks that did not run, a line per reason, each with the checks it covers."""
    reasons: dict[str, list[str]] = {}
    for result in record.results.values():
        if result.outcome in {"skipped", "not run"} and not result.inconclusive:
            reason = result.message or "not run (the run ended before it)"
            reasons.setdefault(reason, []).append(result.name)
    if record.deselected:
        reasons["deselected (-k / -m)"] = [CheckResult(nodeid).name for nodeid in record.deselected]
    if not reasons:
        return []
    lines = ["", "## Not run", ""]
    for reason, names in reasons.items():
        count = f"{len(names)} checks" if len(names) > 1 else "1 check"
        lines.append(f"- {reason} ({count}: {', '.join(names)})")
    return lines
