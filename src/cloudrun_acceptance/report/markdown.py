"""The markdown validation report, readable rendered on GitHub: the verdict, each root cause
with what to do, the checks not run and the traffic action first; then the details (the run,
the passing checks folded, the comparison, the rollout, the figures, the configuration)."""

from __future__ import annotations

from datetime import UTC

from ..model.contract import RESOURCES
from ..model.errors import AdminApiError
from ..model.service import ServiceFacts
from ..model.verdict import INITIAL
from ..model.version import VERSION
from .causes import causes_markdown, not_run_markdown
from .cells import ICONS, STATUS_ICONS, cell
from .compare import compare_markdown
from .record import RunRecord
from .release import release_markdown
from .rollout_table import rollout_markdown


def render_markdown(record: RunRecord) -> str:
    """The validation report: the verdict and what to do first, then the details."""
    status = f"**{record.status}** {STATUS_ICONS[record.status]}"
    if record.interrupted:
        status += " (interrupted)"
    lines = [f"# Validation report: {record.label}", "", f"{status}: {record.counts()}"]
    lines += causes_markdown(record)
    lines += not_run_markdown(record)
    lines += release_markdown(record.release)
    lines += _run(record)
    lines += _passed(record)
    lines += compare_markdown(record)
    lines += rollout_markdown(record)
    lines += _figures(record)
    lines += _configuration(record)
    return "\n".join(lines).rstrip() + "\n"


def _run(record: RunRecord) -> list[str]:
    """What was checked, with what, and when."""
    target, contract = record.target, record.contract
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
    if contract is not None:
        rows.append(("Contract", f"`{contract.path.name}` (sha256 `{contract.sha256[:12]}`)"))
    duration = (record.finished - record.started).total_seconds() if record.finished else 0.0
    rows.append(("Gate", f"cloudrun-acceptance {VERSION}, {duration:.1f} s"))
    lines = ["", "## Run", "", "| Field | Value |", "|---|---|"]
    return lines + [f"| {name} | {cell(value)} |" for name, value in rows]


def _passed(record: RunRecord) -> list[str]:
    """The checks that passed, folded: a table GitHub opens on a click. ``markdown="1"`` has
    MkDocs (md_in_html) render the table inside the fold; GitHub ignores the attribute."""
    passed = [result for result in record.results.values() if result.shown_outcome == "passed"]
    if not passed:
        return []
    count = f"{len(passed)} checks passed" if len(passed) != 1 else "1 check passed"
    lines = ["", f'<details markdown="1"><summary>{ICONS["passed"]} {count}</summary>', ""]
    lines += ["| Check | Summary |", "|---|---|"]
    for result in passed:
        summary = result.summary or next(iter(result.message.splitlines()), "")
        lines.append(f"| {cell(result.name)} | {cell(summary)} |")
    return [*lines, "", "</details>"]


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
        if not result.param  # a case's figures (a latency, a step) have sections of their own
    ]
    with_figures = [(result, figures) for result, figures in with_figures if figures]
    if with_figures:
        lines += ["", "## Figures"]
    for result, figures in with_figures:
        lines += ["", f"**{cell(result.name)}**", "", "| Figure | Value |", "|---|---|"]
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
    lines = ["", "## Configuration", "", "| Setting | Value |", "|---|---|"]
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
