"""The report's Rollout section and the terminal's table, from the step checks' figures."""

from __future__ import annotations

from cloudrun_acceptance.report.rollout_table import rollout_lines, rollout_markdown
from tests.unit.builders import check_result, run_record

FIGURES = {
    "share (%)": "25",
    "window": "2026-12-02T10:00:00+00:00 to 2026-12-02T10:00:42+00:00 (42 s)",
    "holds": "0",
    "candidate requests": "1200",
    "stable requests": "3600",
    "candidate 5xx rate": "3.10%",
    "stable 5xx rate": "0.05%",
    "candidate p50 (ms)": "10.1",
    "stable p50 (ms)": "10.0",
    "candidate p95 (ms)": "14.0",
    "stable p95 (ms)": "13.9",
    "ended": "early, as the evidence decided",
    "action": "rolled back",
    "error budget": "0.83% of 5% (one of 3 judged steps, halved between latency and 5xx)",
    "before the rollout": "traffic before the rollout: 120 users' requests/s over the last 300 "
    "s; step 25%: about 40 s to decide (about 400 of the candidate's requests at 30/s, and 100 a "
    "side at least)",
}


def test_a_step_ended_early_says_so_with_the_budget_and_the_traffic_before():
    step = check_result("test_rollout_step[25%]", "failed", figures=FIGURES)
    lines = rollout_markdown(run_record(step))
    assert (
        "| 1 of 1 | 25% | 42 s | 1200 / 3600 | 3.10% / 0.05% | 10.1 / 10.0 | 14.0 / 13.9 | "
        "❌ failed (early) | rolled back |"
    ) in lines
    assert (
        "Before the first step: traffic before the rollout: 120 users' requests/s over the last "
        "300 s; step 25%: about 40 s to decide (about 400 of the candidate's requests at 30/s, "
        "and 100 a side at least)."
    ) in lines
    assert (
        "Every look of a step is counted by its tests; the steps share the error budget: 0.83% "
        "of 5% (one of 3 judged steps, halved between latency and 5xx)."
    ) in lines
    terminal = rollout_lines(run_record(step))
    assert terminal[1].startswith("cloudrun-acceptance: rollout: 1 of 1  25%    42 s ")
    assert terminal[1].endswith("failed (early)  rolled back")
