"""A rollout at a production rate, through the real clients: the sandbox's users simulated at
5000 requests a second (their request logs and Cloud Monitoring counts written as if sent), so
each look reads a uniform sample of its stretch and the step's counts come from Monitoring."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.plugin.state import state_of
from cloudrun_acceptance.sandbox.logging.api import ReadQuota
from tests.integration.gatekit import COMPARE_UNASKED
from tests.integration.test_regions import rollout_in_regions
from tests.integration.test_rollout import (
    CANDIDATE,
    STABLE,
    looked_at_every_second,
    rollout,
    shares,
    step,
)


def busy_rollout(gate_dir, sandbox, **more):
    """A 50% step looked at every second for up to 40 s, passing no sooner than 8 s; a look
    reads at most 1000 entries (a second holds about 5000)."""
    return looked_at_every_second(gate_dir, sandbox, max_requests=1000, **more)


def test_a_late_regression_at_5000_requests_a_second_fails_its_step(gate_dir, sandbox_with):
    # busy_late_regression, its delay shortened from a minute to 4 s: the step cannot pass
    # before its minimum bake (8 s), so the regression that starts at 4 s fails it.
    sandbox = sandbox_with("busy_late_regression", late_regression_after_seconds=4.0)
    run = busy_rollout(gate_dir, sandbox, error_tolerance=0.01)
    run.expect(failed={step(50)}, skipped={step(100)} | COMPARE_UNASKED)
    verdict = run.verdicts[step(50)]
    assert "at 50%" in verdict["summary"]
    figures = verdict["figures"]
    assert "a uniform sample, down to" in figures["entries read"]
    # Monitoring counted every request of the window's whole samples: far more than were read.
    counted = int(figures["candidate requests (Monitoring)"].partition(" (")[0])
    assert counted > 5 * int(figures["candidate requests"])
    assert shares(sandbox) == [(STABLE, 100)]


def test_a_cold_start_at_5000_requests_a_second_passes(gate_dir, sandbox_with):
    sandbox = sandbox_with("busy_cold_start", step_cold_start_seconds=3.0)
    run = busy_rollout(gate_dir, sandbox)
    run.expect(skipped=COMPARE_UNASKED)
    figures = run.verdicts[step(50)]["figures"]
    assert "a uniform sample, down to" in figures["entries read"]
    assert shares(sandbox) == [(CANDIDATE, 100)]


class QuotaAtTheEnd:
    """The project's read quota as the run ends (both regions' Logging APIs share it)."""

    def __init__(self) -> None:
        self.quotas: list[ReadQuota] = []

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        for state in state_of(config).run_states():
            assert state.sandbox is not None and state.sandbox.logging_api is not None
            self.quotas.append(state.sandbox.logging_api.quota)


def test_two_busy_regions_are_judged_side_by_side_within_the_projects_read_quota(gate_dir):
    # 1000 requests/s in each region, 60 entries:list calls a minute for the project: both
    # targets' looks wait their turn in the quota, and both steps are judged.
    quota = QuotaAtTheEnd()
    run, _ = rollout_in_regions(
        gate_dir,
        "busy_two_regions",
        "50,100",
        bake=40.0,
        plugins=[quota],
        look_seconds=1.0,
        min_bake_seconds=8.0,
        error_tolerance=0.05,
    )
    assert run.result.ret == 0, run.result.stdout.str()
    (shared,) = {id(q): q for q in quota.quotas}.values()  # one quota, both regions
    assert shared.calls > 0
    for region in ("europe-west1", "us-central1"):
        figures = run.verdicts[f"test_rollout_step[50%-{region}]"]["figures"]
        assert figures["action"] == "advanced"
        assert int(figures["candidate requests (Monitoring)"].partition(" ")[0]) > 1000


def test_a_quiet_service_is_told_how_long_a_step_needs_before_any_traffic_moves(
    gate_dir, sandbox_with
):
    # quiet: 1 users' request a second, simulated; a 5% step sees one candidate request in 20 s.
    sandbox = sandbox_with("quiet")
    run = rollout(gate_dir, sandbox, "5,100", bake=60.0, on_low_traffic="refuse")
    assert shares(sandbox) == [(STABLE, 100)]  # nothing moved
    run.result.stdout.fnmatch_lines(
        [
            "*not rolled out: too little traffic for step 5% to decide within its longest bake, "
            "180 s (rollout.bake_seconds with its holds), at the traffic of the last bake; no "
            "traffic was moved",
            "*  traffic before the rollout: * users' requests/s over the last 60 s",
            "*  step 5%: about * to decide (* of the candidate's requests at */s, and 30 a side "
            "at least)",
        ]
    )
