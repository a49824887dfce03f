"""The report's Candidate vs stable section: latency per request kind with a chart of both
distributions (Mermaid, which GitHub renders in the report and in the job's step summary),
the errors side by side, and what the deploy changed.

It reads the figures of the comparison's checks (cloudrun_acceptance/gate/test_compare.py), so
it works the same with xdist, where the checks' verdicts travel as figures.
"""

from __future__ import annotations

from .cells import ICONS, cell
from .record import CheckResult, RunRecord

BASELINE = "test_baseline_is_reachable"
LATENCY = "test_candidate_latency_against_baseline"
ERRORS = "test_candidate_errors_against_baseline"
FAMILIES = "test_candidate_keeps_the_baseline_metric_families"
CONFIG = "test_candidate_configuration_against_baseline"
CHECKS = (BASELINE, LATENCY, ERRORS, FAMILIES, CONFIG)


def _outcome(result: CheckResult) -> str:
    shown = result.shown_outcome
    return f"{ICONS.get(shown, '')} {shown}".strip()


def compare_markdown(record: RunRecord) -> list[str]:
    """The section, or nothing when the run collected none of the comparison's checks."""
    results = [r for r in record.results.values() if r.function in CHECKS]
    if not results:
        return []
    lines = ["", "## Candidate vs stable", ""]
    ran = [r for r in results if r.outcome not in {"skipped", "not run"} or r.inconclusive]
    if not ran:
        reason = results[0].message or "not run"
        return [*lines, f"Not compared: {reason}."]
    by = {name: [r for r in ran if r.function == name] for name in CHECKS}
    for result in by[BASELINE]:
        lines.append(cell(result.summary or result.message.splitlines()[0]))
    lines += _latency(by[LATENCY])
    for title, name in (
        ("Errors", ERRORS),
        ("Metric families", FAMILIES),
        ("Configuration", CONFIG),
    ):
        for result in by[name]:
            lines += ["", f"**{title}**: {_outcome(result)}: {cell(result.summary)}"]
            lines += [f"- {cell(line)}" for line in result.evidence]
    return lines


def _latency(results: list[CheckResult]) -> list[str]:
    if not results:
        return []
    from ..model.compare import SIDES  # loaded by a run that compared, only

    lines = [
        "",
        "| Request | Revision | n | p50 (ms) | p95 (ms) | p99 (ms) | Slower by, anytime interval "
        "| Verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        kind = result.param
        figures = result.figures
        for side in SIDES:
            cells = [
                kind if side == "baseline" else "",
                side,
                figures.get(f"{side} n", "-"),
                *(figures.get(f"{side} {p} (ms)", "-") for p in ("p50", "p95", "p99")),
            ]
            if side == "candidate":
                shift = figures.get("shift (%)")
                interval = figures.get("shift interval (%)", "")
                decided = figures.get("decided", "").partition(" ")[2]
                outcome = f"{_outcome(result)} {decided}" if decided else _outcome(result)
                cells += [f"{shift} ({interval})" if shift else "-", outcome]
            else:
                cells += ["", ""]
            lines.append("| " + " | ".join(cell(text) for text in cells) + " |")
    judged = [r for r in results if "error budget" in r.figures]
    if judged:
        figures = judged[0].figures
        lines += [
            "",
            f"Tolerance: {figures.get('tolerance', '-')}. Each interval holds over every look of "
            "the load (a confidence sequence); the request kinds and the errors share the error "
            f"budget: {figures['error budget']}.",
        ]
    for result in results:
        lines += _chart(result)
    return lines


def _chart(result: CheckResult) -> list[str]:
    """A Mermaid xychart of both sides' answers per latency bin: bars the baseline, the line
    the candidate."""
    from ..model.compare import HISTOGRAM_PREFIX

    figures = result.figures
    bins = figures.get(f"{HISTOGRAM_PREFIX}bins (ms)")
    if not bins:
        return []
    kind = result.nodeid.partition("[")[2].removesuffix("]")
    labels = ", ".join(f'"{edge}"' for edge in bins.split())
    baseline = figures.get(f"{HISTOGRAM_PREFIX}baseline", "").split()
    candidate = figures.get(f"{HISTOGRAM_PREFIX}candidate", "").split()
    top = max(int(n) for n in (*baseline, *candidate, "1"))
    return [
        "",
        "```mermaid",
        "xychart-beta",
        f'    title "{kind}: answers per latency bin, up to (ms); bars baseline, line candidate"',
        f"    x-axis [{labels}]",
        f'    y-axis "answers" 0 --> {top}',
        f"    bar [{', '.join(baseline)}]",
        f"    line [{', '.join(candidate)}]",
        "```",
    ]
