"""The forced analysis starts at the end of collection when it surely runs, and only then.

Observed from the service: its ``memory_analysis_in_progress`` gauge, read with a client of the
test's own while pytest reports the health check, and the requests it answered.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.config.envfile import load_env_file
from cloudrun_acceptance.metrics.exposition import parse_exposition
from cloudrun_acceptance.sandbox.launcher import Sandbox, start_sandbox
from tests.integration.gatekit import (
    ADMIN,
    ANALYSIS,
    CACHE,
    ENABLED,
    HEALTH,
    INTERRUPTIBLE_PYTEST,
    deployed,
    edit_contract,
    run_gate,
)
from tests.paths import REPO, SHIPPED_CONTRACT

ANALYZE = "POST /api/memory/analyze"


@pytest.fixture
def slow_sandbox() -> Iterator[Sandbox]:
    """A deployed service whose forced analysis takes 1.5 s: long enough to be seen working."""
    sandbox = start_sandbox(
        load_contract(SHIPPED_CONTRACT), load_env_file(REPO / "env.yaml"), analysis_seconds=1.5
    )
    yield sandbox
    sandbox.stop()


class InProgress:
    """A plugin that reads the service's analysis gauge as a check (the health check) is
    reported."""

    def __init__(self, url: str, check: str = HEALTH) -> None:
        self.url = url
        self.check = check
        self.seen: float | None = None

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.when == "call" and report.nodeid.endswith(self.check):
            body = httpx.get(f"{self.url}/api/metrics", timeout=5).text
            self.seen = parse_exposition(body).value("memory_analysis_in_progress", {})


def test_the_analysis_runs_while_the_health_check_is_reported(gate_dir, slow_sandbox):
    gauge = InProgress(slow_sandbox.service_url)
    run = run_gate(gate_dir, *deployed(slow_sandbox), plugins=[gauge])
    run.expect()
    assert gauge.seen == 1
    assert (
        slow_sandbox.requests_served().get(ANALYZE, 0) == 4
    )  # the forced analysis and three cached calls


def test_the_revision_checks_run_while_the_analysis_is_in_flight(gate_dir, slow_sandbox):
    gauge = InProgress(slow_sandbox.service_url, ADMIN)
    run = run_gate(gate_dir, *deployed(slow_sandbox), plugins=[gauge])
    run.expect()
    assert gauge.seen == 1  # stage 25, before the analysis check: they run during its wait
    names = list(run.outcomes)
    assert names.index(ADMIN) < names.index(ANALYSIS)


def test_a_run_that_stops_at_a_failure_sends_it_in_turn(gate_dir, slow_sandbox):
    gauge = InProgress(slow_sandbox.service_url)
    run = run_gate(gate_dir, *deployed(slow_sandbox), "-x", plugins=[gauge])
    run.expect()
    assert gauge.seen == 0
    assert slow_sandbox.requests_served().get(ANALYZE, 0) == 4


@pytest.mark.parametrize(
    "selection",
    [
        ("-k", "health"),
        ("--collect-only",),
        ("--deselect", "cloudrun_acceptance/gate/test_analysis.py"),
    ],
    ids=["-k health", "--collect-only", "analysis deselected"],
)
def test_nothing_is_posted_when_no_analysis_check_is_selected(gate_dir, slow_sandbox, selection):
    run_gate(gate_dir, *deployed(slow_sandbox), *selection)
    assert slow_sandbox.requests_served().get(ANALYZE, 0) == 0


def test_the_cached_calls_wait_for_their_check(gate_dir, slow_sandbox):
    cache = f"cloudrun_acceptance/gate/test_analysis.py::{CACHE}"
    run = run_gate(gate_dir, *deployed(slow_sandbox), "--deselect", cache)
    assert ANALYSIS in run.passed
    assert slow_sandbox.requests_served().get(ANALYZE, 0) == 1


class Analysing:
    """Whether the service is analysing when collection starts (``pytest_collection``) or
    ends (``pytest_collection_finish``), before the gate's own hook runs (tryfirst): read until
    it is (a bound, not a measure: the thread sending it may lag behind on a loaded machine),
    for up to 5 s at the start and 1 s at the end, where the answer expected is no."""

    def __init__(self, url: str, *, at_start: bool) -> None:
        self.url = url
        self.reads_at_start = at_start
        self.at_start = self.at_end = 0.0

    def _read(self, bound: float) -> float:
        until, seen = time.monotonic() + bound, 0.0
        while time.monotonic() < until and seen != 1:
            body = httpx.get(f"{self.url}/api/metrics", timeout=5).text
            seen = parse_exposition(body).value("memory_analysis_in_progress", {}) or 0.0
            time.sleep(0.02)
        return seen

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection(self, session: pytest.Session) -> None:
        if self.reads_at_start:
            self.at_start = self._read(5.0)

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.at_end = self._read(1.0)


def test_the_analysis_is_sent_before_collection_when_nothing_can_deselect_it(
    gate_dir, slow_sandbox
):
    early = Analysing(slow_sandbox.service_url, at_start=True)
    run = run_gate(gate_dir, *deployed(slow_sandbox), plugins=[early])
    run.expect()
    # The plan (plugin/early.py) knew at configure that the built-in analysis check runs:
    # the thread went through the health wait and the first scrape to the analysis before
    # collection began, and the collection overlaps its wait.
    assert early.at_start == 1
    served = slow_sandbox.requests_served()
    assert served["GET /api/health"] == 1  # the checks read the thread's wait: not sent again
    assert served[ANALYZE] == 4


def test_with_paths_given_it_waits_for_the_end_of_collection(gate_dir, slow_sandbox):
    late = Analysing(slow_sandbox.service_url, at_start=False)
    run = run_gate(gate_dir, *deployed(slow_sandbox), "tests/acceptance", plugins=[late])
    run.expect()
    assert late.at_end == 0  # a path or node id may narrow the run: sent once it is known
    assert slow_sandbox.requests_served().get(ANALYZE, 0) == 4


def test_without_an_analysis_check_to_run_the_thread_stops_after_the_scrape(gate_dir, slow_sandbox):
    edit_contract(gate_dir, "checks", "skip", [ANALYSIS, CACHE])
    run = run_gate(gate_dir, *deployed(slow_sandbox), "-rs")
    assert run.passed >= {HEALTH, ENABLED}
    assert run.outcomes[ANALYSIS] == run.outcomes[CACHE] == "skipped"
    run.result.stdout.fnmatch_lines(
        ["SKIPPED [[]2[]] *: the contract skips this built-in check (checks.skip)"]
    )
    served = slow_sandbox.requests_served()
    assert served.get(ANALYZE, 0) == 0
    assert served["GET /api/health"] == 1


@pytest.mark.parametrize("listing", ["--fixtures", "--setup-plan"])
def test_a_run_that_lists_sends_nothing(gate_dir, slow_sandbox, listing):
    run_gate(gate_dir, *deployed(slow_sandbox), listing)
    assert slow_sandbox.requests_served() == {}


FREEZE_PROBE = """
import gc, json, pathlib

def pytest_runtest_call(item):
    if item.name == "test_cached_analysis_answers_within_budget":
        pathlib.Path("frozen.json").write_text(json.dumps(gc.get_freeze_count()))
"""


def test_a_command_line_run_freezes_its_heap_while_the_analysis_is_awaited(gate_dir, slow_sandbox):
    # The objects alive while the gate waits are frozen before the cached calls: no full
    # collection of them falls between those calls, or in pytest's collections at exit.
    gate_dir.makepyfile(freezeprobe=FREEZE_PROBE)
    done = subprocess.run(
        [
            *INTERRUPTIBLE_PYTEST,
            "-p",
            "no:cacheprovider",
            "-p",
            "freezeprobe",
            *deployed(slow_sandbox),
        ],
        cwd=gate_dir.path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(gate_dir.path), "COLUMNS": "1000"},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert json.loads((gate_dir.path / "frozen.json").read_text()) > 10_000
