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


# The series' colours and their names in the caption, in the order of the plots (bars, the
# tolerance line, the candidate's line, drawn last so it lies on top). Each keeps a contrast of
# at least 3:1 with GitHub's light background (white) and with the dark theme's (Mermaid's #333
# chart on #0d1117), and blue and orange stay apart for readers who do not tell red from green.
BARS, LIMIT, LINE = ("#3b7ddd", "blue"), ("#8c959f", "grey"), ("#f0750f", "orange")
# xychart draws no legend: the caption under the chart names each colour.
INIT = (
    '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "'
    + ", ".join(colour for colour, _ in (BARS, LIMIT, LINE))
    + '"}}}}%%'
)


def _chart(result: CheckResult) -> list[str]:
    """A Mermaid xychart of the answers per latency bin: bars the baseline, a line the
    candidate, and a line the baseline slowed by exactly the tolerance; then a caption that
    names each series by its colour, with its revision and p95.

    The tolerance is drawn as a distribution, not as a mark on the axis: it bounds the ratio of
    the candidate's answers to the baseline's, not a latency, so no bin edge is "the limit".
    The baseline's answers each 1 + tolerance times as long are what a candidate exactly at the
    judge's limit answers (checks/histogram.py): a reader compares the candidate's line with
    it. The last bin holds the slow tail beyond the slowest p95 and says so ("> 8.7")."""
    from ..model.compare import (
        HISTOGRAM_AT_TOLERANCE,
        HISTOGRAM_EDGES,
        HISTOGRAM_PREFIX,
    )

    figures = result.figures
    edges = figures.get(HISTOGRAM_EDGES, "").split()
    keys = (f"{HISTOGRAM_PREFIX}baseline", HISTOGRAM_AT_TOLERANCE, f"{HISTOGRAM_PREFIX}candidate")
    series = [figures.get(key, "").split() for key in keys]
    if not edges or any(len(counts) != len(edges) + 1 for counts in series):
        return []
    kind = result.nodeid.partition("[")[2].removesuffix("]").replace('"', "'")
    labels = ", ".join(f'"{label}"' for label in (*edges, f"> {edges[-1]}"))
    top = max(int(n) for counts in series for n in (*counts, "1"))
    bars, limit, line = (f"[{', '.join(counts)}]" for counts in series)
    return [
        "",
        "```mermaid",
        INIT,
        "xychart-beta",
        f'    title "{kind}: answers per latency bin"',
        f'    x-axis "answer time (ms), each bin up to its label" [{labels}]',
        f'    y-axis "answers per bin" 0 --> {top}',
        f"    bar {bars}",
        f"    line {limit}",
        f"    line {line}",
        "```",
        "",
        _caption(figures, edges[-1]),
    ]


def _caption(figures: dict[str, str], last: str) -> str:
    """Each series by its colour, with its revision and p95; what the tolerance line is; the
    tail."""
    from ..model.compare import HISTOGRAM_REVISIONS, SIDES

    revisions = figures.get(HISTOGRAM_REVISIONS, "").split()
    named = dict(zip(SIDES, revisions, strict=True)) if len(revisions) == len(SIDES) else {}

    def side(name: str) -> str:
        revision = f" {named[name]}" if name in named else ""
        return f"{name}{revision} (p95 {figures.get(f'{name} p95 (ms)', '-')} ms)"

    return (
        f"{BARS[1].capitalize()} bars: {side('baseline')}. {LINE[1].capitalize()} line: "
        f"{side('candidate')}. {LIMIT[1].capitalize()} line: the baseline's answers "
        f"{figures.get('tolerance', '-')}, a candidate exactly at the tolerance; the "
        f"{LINE[1]} line right of it is slower than the tolerance allows (the table's interval "
        f"says whether beyond doubt). The last bin holds every answer slower than {last} ms."
    )
