"""The report's Candidate vs stable section, from the comparison checks' figures."""

from __future__ import annotations

import re

from cloudrun_acceptance.checks.compare import compare_latency, judge_latency
from cloudrun_acceptance.model.compare import Endpoint, PairedLoad, Sample
from cloudrun_acceptance.model.contract import CompareRequest, CompareRules, RequestSpec
from cloudrun_acceptance.report.compare import compare_markdown
from cloudrun_acceptance.report.markdown import render_markdown
from tests.unit.builders import check_result, run_record

RULES = CompareRules(requests=(CompareRequest("health", RequestSpec("GET", "/h")),))
NOT_ASKED = "the comparison was not asked for: the contract has no compare: section"


def load() -> PairedLoad:
    samples = [
        Sample("health", side, i, 200, (0.010 if side == "baseline" else 0.014) + i * 1e-5, pair=i)
        for i in range(120)
        for side in ("baseline", "candidate")
    ]
    return PairedLoad(
        Endpoint("svc-1", "https://svc.run.app"),
        Endpoint("svc-2", "https://candidate---svc.run.app"),
        tuple(samples),
        planned=240,
        elapsed=1.0,
        deadline_seconds=60,
        concurrency=4,
    )


def latency_result():
    comparison = compare_latency(kind="health", load=load(), rules=RULES)
    verdict = judge_latency(comparison=comparison, rules=RULES, load=load())
    return check_result(
        "test_candidate_latency_against_baseline[health]",
        verdict.status,
        summary=verdict.summary,
        figures=dict(verdict.figures),
    )


def test_a_row_per_revision_with_the_shift_and_the_verdict_and_a_chart():
    lines = compare_markdown(run_record(latency_result()))
    assert lines[:3] == ["", "## Candidate vs stable", ""]
    assert "| health | baseline | 120 | 10.6 | 11.1 | 11.2 |  |  |" in lines
    row = next(line for line in lines if line.startswith("|  | candidate | 120 | 14.6 |"))
    assert re.fullmatch(
        r"\|  \| candidate \| 120 \| 14\.6 \| 15\.1 \| 15\.2 \| \+3\d\.\d% "
        r"\(\+\d\d\.\d% to \+\d\d\.\d%\) \| ❌ failed after \d+ pairs \(look \d+\) \|",
        row,
    )
    assert (
        "Tolerance: 10% slower. Each interval holds over every look of the load (a confidence "
        "sequence); the request kinds and the errors share the error budget: 2.5% of 5% (one of "
        "2 tests: 1 request kind and the errors)."
    ) in lines
    # The chart's text: tests/unit/report/test_chart.py.
    chart = lines[lines.index("```mermaid") :]
    assert chart[2] == "xychart-beta"
    assert chart[6].startswith("    bar [") and chart[8].startswith("    line [")
    bars = [int(n) for n in chart[6].removeprefix("    bar [").removesuffix("]").split(", ")]
    line = [int(n) for n in chart[8].removeprefix("    line [").removesuffix("]").split(", ")]
    assert sum(bars) == sum(line) == 120  # every answer in a bin, the tail in the last
    assert bars[0] > 0 and line[-2] > 0  # the baseline is the faster
    assert chart[11].startswith("Blue bars: baseline svc-1 (p95 11.1 ms). Orange line: ")


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
