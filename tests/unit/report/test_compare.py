"""The report's Candidate vs stable section, from the comparison checks' figures."""

from __future__ import annotations

from cloudrun_acceptance.checks.compare import judge_latency
from cloudrun_acceptance.model.compare import (
    Endpoint,
    LatencyComparison,
    PairedLoad,
    Percentiles,
    Sample,
    Shift,
)
from cloudrun_acceptance.model.contract import CompareRequest, CompareRules, RequestSpec
from cloudrun_acceptance.report.compare import compare_markdown
from cloudrun_acceptance.report.markdown import render_markdown
from tests.unit.builders import check_result, run_record

RULES = CompareRules(requests=(CompareRequest("health", RequestSpec("GET", "/h")),))
NOT_ASKED = "the comparison was not asked for: the contract has no compare: section"


def load() -> PairedLoad:
    samples = [
        Sample("health", side, i, 200, (0.010 if side == "baseline" else 0.014) + i * 1e-5)
        for i in range(40)
        for side in ("baseline", "candidate")
    ]
    return PairedLoad(
        Endpoint("svc-1", "https://svc.run.app"),
        Endpoint("svc-2", "https://candidate---svc.run.app"),
        tuple(samples),
        planned=80,
        elapsed=1.0,
        deadline_seconds=60,
        concurrency=4,
    )


def latency_result():
    comparison = LatencyComparison(
        "health",
        Percentiles(40, 0.0102, 0.0104, 0.0104),
        Percentiles(40, 0.0142, 0.0144, 0.0144),
        Shift(0.004, 0.0039, 0.0041, 0.95, 0.0, 1e-14),
        0.1,
        0.00102,
    )
    verdict = judge_latency(comparison, RULES, load())
    return check_result(
        "test_candidate_latency_against_baseline[health]",
        "failed",
        summary=verdict.summary,
        figures=dict(verdict.figures),
    )


def test_a_row_per_revision_with_the_shift_and_the_verdict_and_a_chart():
    lines = compare_markdown(run_record(latency_result()))
    assert lines[:3] == ["", "## Candidate vs stable", ""]
    assert "| health | baseline | 40 | 10.2 | 10.4 | 10.4 |  |  |" in lines
    assert "|  | candidate | 40 | 14.2 | 14.4 | 14.4 | +4.0 (+3.9 to +4.1) | ❌ failed |" in lines
    chart = lines[lines.index("```mermaid") :]
    assert chart[1] == "xychart-beta"
    assert chart[5].startswith("    bar [") and chart[6].startswith("    line [")
    bars = [int(n) for n in chart[5].removeprefix("    bar [").removesuffix("]").split(", ")]
    line = [int(n) for n in chart[6].removeprefix("    line [").removesuffix("]").split(", ")]
    assert sum(bars) == sum(line) == 40  # every answer in a bin, the tail in the last
    assert bars[0] > 0 and line[-1] > 0  # the baseline is the faster


def test_a_run_without_the_section_says_the_comparison_was_not_asked_for():
    skipped = check_result("test_candidate_errors_against_baseline", "skipped", message=NOT_ASKED)
    assert compare_markdown(run_record(skipped)) == [
        "",
        "## Candidate vs stable",
        "",
        f"Not compared: {NOT_ASKED}.",
    ]


def test_a_run_that_collected_no_comparison_has_no_section():
    report = render_markdown(run_record(check_result("test_health_answers", "passed")))
    assert "Candidate vs stable" not in report
