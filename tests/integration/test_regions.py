"""One service in several regions, judged all or none: the sandbox's two_regions and
region_fails profiles (a sandbox each, with its own Admin and Logging APIs), checked through the
real clients; the checks run per target, the reports have a row, a section and a JUnit
testsuite each, and the traffic of every target moves together or not at all."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import xml.etree.ElementTree as ET
from typing import Any

import httpx
import pytest

from cloudrun_acceptance.metrics.exposition import parse_exposition
from cloudrun_acceptance.model.version import VERSION
from cloudrun_acceptance.plugin.state import state_of
from cloudrun_acceptance.sandbox.platform.deployment import PREVIOUS_REVISION, REVISION
from tests.integration.gatekit import CACHE, HEALTH, INTERRUPTIBLE_PYTEST, edit_contract, run_gate
from tests.integration.test_release import shares
from tests.integration.test_rollout import without_compare

EU, US = "europe-west1", "us-central1"
PER_TARGET = 48  # the gate's checks of one target, in a run of the shipped contract


def reports(gate_dir, pattern: str):
    found = sorted((gate_dir.path / "reports").glob(pattern))
    assert len(found) == 1, found
    return found[0]


def suites(gate_dir) -> dict[str, dict[str, object]]:
    root = ET.parse(reports(gate_dir, "emergence-app-2-regions-*Z.xml")).getroot()
    return {
        str(suite.get("name")): {
            "tests": int(suite.get("tests", "0")),
            "failures": int(suite.get("failures", "0")),
            "properties": {
                p.get("name"): p.get("value") for p in suite.iterfind("properties/property")
            },
        }
        for suite in root.iterfind("testsuite")
    }


class TrafficAtTheEnd:
    """Each region's traffic, read from its sandbox's state as the run ends."""

    def __init__(self) -> None:
        self.shares: dict[str, dict[str, int]] = {}

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        for state in state_of(config).run_states():
            assert state.sandbox is not None and state.target is not None
            self.shares[str(state.target.region)] = shares(state.sandbox)


def test_two_good_regions_are_checked_each_and_pass_together(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault=two_regions")
    assert run.result.ret == 0
    names = list(run.outcomes)
    eu = [i for i, name in enumerate(names) if name.endswith(f"{EU}]")]
    us = [i for i, name in enumerate(names) if name.endswith(f"{US}]")]
    # A case each, target by target: every check of europe-west1 before any of us-central1.
    assert len(eu) == len(us) == PER_TARGET and len(names) == 2 * PER_TARGET
    assert max(eu) < min(us)
    assert run.outcomes[f"{HEALTH}[{EU}]"] == run.outcomes[f"{HEALTH}[{US}]"] == "passed"
    run.result.stdout.fnmatch_lines(
        [
            f"cloudrun-acceptance {VERSION}: 2 targets, judged all or none: "
            f"{EU}/emergence-app, {US}/emergence-app",
            f"  {EU}: http://127.0.0.1:* (from --sandbox)",
            f"    revision: {REVISION} (latest ready, from the Cloud Run Admin API)",
            f"  {US}: http://127.0.0.1:* (from --sandbox)",
            "  worst case: * s, 2 targets one after the other, each * s (*): the sum of the "
            "deadlines",
        ]
    )
    run.result.stdout.fnmatch_lines(
        [
            f"cloudrun-acceptance: {EU}: {REVISION} PASSED (42 passed, 0 failed, 0 errors, "
            "6 skipped)",
            f"cloudrun-acceptance: {US}: {REVISION} PASSED (42 passed, 0 failed, 0 errors, "
            "6 skipped)",
            f"cloudrun-acceptance: 2 targets PASSED: every target passed ({EU}, {US}); reports: "
            "reports/emergence-app-2-regions-*Z.md",
        ]
    )
    got = suites(gate_dir)
    assert list(got) == [f"cloudrun-acceptance {EU}", f"cloudrun-acceptance {US}"]
    for region, suite in zip((EU, US), got.values(), strict=True):
        assert suite["tests"] == PER_TARGET and suite["failures"] == 0
        props = suite["properties"]
        assert isinstance(props, dict)
        assert props["cloudrun_acceptance.region"] == region
        assert props["cloudrun_acceptance.status"] == "PASSED"
    text = reports(gate_dir, "emergence-app-2-regions-*Z.md").read_text()
    assert text.startswith("# Validation report: 2 targets, all or none\n")
    assert f"## {EU}: {REVISION}" in text and f"## {US}: {REVISION}" in text
    assert f"| Service | emergence-app (sandbox-project, {US}) |" in text


class OtherRegionInProgress:
    """Reads us-central1's analysis gauge as europe-west1's health check is reported."""

    def __init__(self) -> None:
        self.urls: dict[str, str] = {}
        self.seen: float | None = None

    def pytest_configure(self, config: pytest.Config) -> None:
        for state in state_of(config).run_states():
            assert state.target is not None and state.target.url is not None
            self.urls[str(state.target.region)] = state.target.url

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.when == "call" and report.nodeid.endswith(f"{HEALTH}[{EU}]"):
            # For up to a second (its thread may lag behind europe-west1's): one region after
            # the other, us-central1's would start only after europe-west1's 1.5 s analysis.
            until = time.monotonic() + 1.0
            while time.monotonic() < until and self.seen != 1:
                body = httpx.get(f"{self.urls[US]}/api/metrics", timeout=5).text
                self.seen = parse_exposition(body).value("memory_analysis_in_progress", {})
                time.sleep(0.02)


def test_every_region_s_analysis_is_sent_at_once(gate_dir):
    gauge = OtherRegionInProgress()
    run = run_gate(
        gate_dir,
        "--sandbox",
        "--sandbox-fault=two_regions",
        "--sandbox-analysis-seconds=1.5",
        plugins=[gauge],
    )
    assert run.result.ret == 0
    assert gauge.seen == 1  # us-central1 analyses while europe-west1's checks are reported


def test_one_failing_region_fails_the_run_and_every_region_is_rolled_back(gate_dir):
    traffic = TrafficAtTheEnd()
    run = run_gate(
        gate_dir,
        "--sandbox",
        "--sandbox-fault=region_fails",
        "--rollback-on-failure",
        plugins=[traffic],
    )
    assert run.result.ret == 1
    assert traffic.shares == {EU: {PREVIOUS_REVISION: 100}, US: {PREVIOUS_REVISION: 100}}
    assert run.failed == {f"{CACHE}[{US}]"}, run.result.stdout.str()
    run.result.stdout.fnmatch_lines(
        [
            f"cloudrun-acceptance: {EU}: traffic: rolled back: 100% to {PREVIOUS_REVISION} "
            f"(operation projects/sandbox-project/locations/{EU}/operations/*)",
            f"cloudrun-acceptance: {US}: traffic: rolled back: 100% to {PREVIOUS_REVISION} "
            f"(operation projects/sandbox-project/locations/{US}/operations/*)",
            f"cloudrun-acceptance: {EU}: {REVISION} PASSED (42 passed, *)",
            f"cloudrun-acceptance: {US}: {REVISION} FAILED (41 passed, 1 failed, *)",
            f"cloudrun-acceptance: 2 targets FAILED: FAILED in {US}; judged all or none, the run "
            "is FAILED; reports: *",
        ]
    )
    got = suites(gate_dir)
    assert got[f"cloudrun-acceptance {US}"]["failures"] == 1
    eu = got[f"cloudrun-acceptance {EU}"]["properties"]
    assert isinstance(eu, dict)
    assert (eu["cloudrun_acceptance.status"], eu["cloudrun_acceptance.traffic_action"]) == (
        "PASSED",
        "rollback",
    )
    text = reports(gate_dir, "emergence-app-2-regions-*Z.md").read_text()
    assert (
        f"| Why | {REVISION} passed here, but the gate did not pass in {US}: the targets are "
        "released all or none, so its 100% goes back as well |"
    ) in text


def test_without_the_flag_nothing_moves_and_each_region_gets_its_commands(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault=region_fails")
    assert run.result.ret == 1
    run.result.stdout.fnmatch_lines(
        [
            f"cloudrun-acceptance: {EU}: traffic: {REVISION} passed here, but the gate did not "
            f"pass in {US}: the targets are released all or none; --rollback-on-failure was not "
            "given, so nothing was changed",
            f"cloudrun-acceptance: {EU}: by hand: gcloud run services update-traffic "
            f"emergence-app --to-revisions {PREVIOUS_REVISION}=100 --region {EU} --project "
            "sandbox-project",
            f"cloudrun-acceptance: {US}: traffic: {REVISION} failed the gate and serves 100% of "
            "traffic; --rollback-on-failure was not given, so nothing was changed",
            f"cloudrun-acceptance: {US}: by hand: gcloud run services update-traffic "
            f"emergence-app --to-revisions {PREVIOUS_REVISION}=100 --region {US} --project "
            "sandbox-project",
        ]
    )


def test_tagged_candidates_in_both_regions_are_promoted_together(gate_dir):
    without_compare(gate_dir)
    traffic = TrafficAtTheEnd()
    run = run_gate(
        gate_dir,
        "--sandbox",
        "--sandbox-fault=two_regions,tagged_candidate",
        "--tag=candidate",
        "--promote",
        plugins=[traffic],
    )
    assert run.result.ret == 0, run.result.stdout.str()
    assert traffic.shares == {EU: {REVISION: 100}, US: {REVISION: 100}}
    run.result.stdout.fnmatch_lines(
        [
            f"cloudrun-acceptance: {EU}: traffic: promoted: 100% to {REVISION} (operation "
            f"projects/sandbox-project/locations/{EU}/operations/*)",
            f"cloudrun-acceptance: {US}: traffic: promoted: 100% to {REVISION} (operation "
            f"projects/sandbox-project/locations/{US}/operations/*)",
        ]
    )
    text = reports(gate_dir, "emergence-app-2-regions-*Z.md").read_text()
    assert (
        text.count(f"| Traffic after | 100% -> {REVISION}<br>0% -> {REVISION} tag=candidate") == 2
    )


def test_a_promotion_refused_in_one_region_puts_the_other_back(gate_dir):
    without_compare(gate_dir)
    traffic = TrafficAtTheEnd()
    run = run_gate(
        gate_dir,
        "--sandbox",
        f"--sandbox-fault=two_regions,tagged_candidate,{US}:update_403",
        "--tag=candidate",
        "--promote",
        plugins=[traffic],
    )
    assert run.result.ret == 1
    assert run.failed == set()  # every check passed; the release failed
    assert traffic.shares == {EU: {PREVIOUS_REVISION: 100}, US: {PREVIOUS_REVISION: 100}}
    run.result.stdout.fnmatch_lines(
        [
            f"cloudrun-acceptance: {EU}: traffic: promoted, then put back as it was, since the "
            f"promotion failed in {US}: rolled back: 100% to {PREVIOUS_REVISION} (operation "
            f"projects/sandbox-project/locations/{EU}/operations/*)",
            f"cloudrun-acceptance: {US}: traffic: the promotion failed: *run.services.update*",
        ]
    )


def test_a_partial_run_promotes_no_region(gate_dir):
    without_compare(gate_dir)
    run = run_gate(
        gate_dir,
        "--sandbox",
        "--sandbox-fault=two_regions,tagged_candidate",
        "--tag=candidate",
        "--promote",
        "-k",
        "health",
    )
    assert run.result.ret == 0
    run.result.stdout.fnmatch_lines(
        [
            f"cloudrun-acceptance: {EU}: traffic: * checks were deselected (-k/-m): --promote "
            "acts only on a run of every check, so nothing was changed",
        ]
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ("-p", "xdist", "-n", "2"),
            "ERROR: 2 targets and -n 2 were both given; the targets are checked one after the "
            "other in one process (their waits overlap), and judged all or none. Drop -n.",
        ),
    ],
)
def test_several_targets_refuse_what_takes_one(gate_dir, extra, message):
    result = gate_dir.runpytest_subprocess(
        "--sandbox", "--sandbox-fault=two_regions", "-p", "no:cacheprovider", *extra
    )
    assert result.ret == 4
    result.stderr.fnmatch_lines([message])


def rollout_in_regions(gate_dir, profile: str, steps: str, *, bake: float, plugins=(), **more):
    """The rollout of both regions, on whatever traffic the sandboxes' users send while the
    gate's checks share their process (test_rollout.py checks the refusal of too little);
    ``plugins`` look at the run beside the one that reads each region's traffic at its end."""
    without_compare(gate_dir)
    edit_contract(gate_dir, "rollout", "bake_seconds", bake)
    edit_contract(gate_dir, "rollout", "min_requests", 30)
    edit_contract(gate_dir, "rollout", "on_low_traffic", "proceed")
    for key, value in more.items():
        edit_contract(gate_dir, "rollout", key, value)
    traffic = TrafficAtTheEnd()
    run = run_gate(
        gate_dir,
        "--sandbox",
        f"--sandbox-fault={profile}",
        "--tag=candidate",
        f"--rollout={steps}",
        plugins=[traffic, *plugins],
    )
    return run, traffic.shares


def step(share: int, region: str) -> str:
    return f"test_rollout_step[{share}%-{region}]"


def test_a_rollout_moves_every_region_step_by_step_together(gate_dir):
    # A step decides when its evidence does: a bake long enough for two sandboxes sharing one
    # loaded process, looked at every second, passing as soon as shown within the tolerances.
    run, shares = rollout_in_regions(
        gate_dir,
        "two_regions,rollout_candidate",
        "25,100",
        bake=30.0,
        look_seconds=1.0,
        min_bake_seconds=2.0,
        error_tolerance=0.05,
    )
    assert run.result.ret == 0, run.result.stdout.str()
    steps = [name for name in run.outcomes if name.startswith("test_rollout_step")]
    # Step by step across the regions, after every other check of both.
    assert steps == [step(25, EU), step(25, US), step(100, EU), step(100, US)]
    assert list(run.outcomes)[-4:] == steps
    assert shares == {EU: {REVISION: 100}, US: {REVISION: 100}}
    for region in (EU, US):
        figures = run.verdicts[step(25, region)]["figures"]
        assert int(figures["candidate requests"]) >= 30
        assert figures["action"] == "advanced"
    run.result.stdout.fnmatch_lines(
        [
            f"cloudrun-acceptance: {EU}: rollout: 1 of 2 * 25% * passed * advanced",
            f"cloudrun-acceptance: {EU}: traffic: rolled out in steps (25%, 100%), completed: *",
            f"cloudrun-acceptance: {US}: rollout: 1 of 2 * 25% * passed * advanced",
            f"cloudrun-acceptance: {US}: traffic: rolled out in steps (25%, 100%), completed: *",
        ]
    )


def test_a_step_failing_in_one_region_sends_every_region_back(gate_dir):
    # Looked at every second for up to 30 s a step: the 10% step passes once its evidence
    # shows it within the tolerances (a fixed 8 s bake left it undecided on a loaded machine),
    # the 50% one fails as soon as its 5xx show.
    run, shares = rollout_in_regions(
        gate_dir,
        "region_step_errors",
        "10,50,100",
        bake=30.0,
        look_seconds=1.0,
        min_bake_seconds=2.0,
        error_tolerance=0.05,
    )
    assert run.result.ret == 1
    assert run.failed == {step(50, EU), step(50, US)}, run.result.stdout.str()
    assert {step(100, EU), step(100, US)} <= run.skipped
    assert run.outcomes[step(10, EU)] == run.outcomes[step(10, US)] == "passed"
    assert shares == {EU: {PREVIOUS_REVISION: 100}, US: {PREVIOUS_REVISION: 100}}
    assert run.verdicts[step(50, US)]["summary"].startswith(
        "the candidate failed more of the users' requests at 50% over"
    )
    here = run.verdicts[step(50, EU)]
    assert here["summary"].startswith(
        f"step 50% passed here, but not in {US}: the targets are rolled out all or none, so "
        "this one went back too ("
    )
    assert f"all traffic went back to {PREVIOUS_REVISION} (operation " in here["evidence"][-1]
    run.result.stdout.fnmatch_lines(
        [
            f"cloudrun-acceptance: {EU}: rollout: 2 of 3 * 50% * 0.00% / 0.00% * failed * "
            "rolled back",
            f"cloudrun-acceptance: {EU}: traffic: rolled back at step 50%: step 50% did not pass "
            f"in {US}, and all traffic went back to {PREVIOUS_REVISION} (steps passed: 10%)",
            f"cloudrun-acceptance: {US}: rollout: 2 of 3 * 50% * failed * rolled back",
        ]
    )


def test_an_interrupted_rollout_of_both_regions_stops_at_once_and_says_where(gate_dir):
    without_compare(gate_dir)
    edit_contract(gate_dir, "rollout", "bake_seconds", 60)
    edit_contract(gate_dir, "rollout", "min_requests", 30)
    edit_contract(gate_dir, "rollout", "on_low_traffic", "proceed")
    arguments = ["--sandbox-fault=two_regions,rollout_candidate", "--tag=candidate", "--rollout"]
    gate = subprocess.Popen(
        [*INTERRUPTIBLE_PYTEST, "-p", "no:cacheprovider", "--sandbox", *arguments, "50,100"],
        cwd=gate_dir.path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1", "COLUMNS": "1000"},
    )
    assert gate.stdout is not None
    seen = b""
    # The steps' module begins (its line has no end until its checks do): both regions are set,
    # then bake side by side.
    while b"cloudrun_acceptance/gate/test_rollout.py" not in seen:
        chunk = os.read(gate.stdout.fileno(), 4096)
        assert chunk, seen.decode()
        seen += chunk
    time.sleep(10.0)  # the judges' libraries load, both splits are set: the 60 s bakes begin
    gate.send_signal(signal.SIGINT)
    try:
        rest, _ = gate.communicate(timeout=20)  # not the 60 s bakes
    except subprocess.TimeoutExpired:
        gate.send_signal(signal.SIGABRT)
        rest, _ = gate.communicate(timeout=30)
        pytest.fail(f"the gate did not stop within 20 s of SIGINT; its threads:\n{rest[-8000:]!r}")
    out = (seen + rest).decode()
    assert gate.returncode == 2, out
    for region in (EU, US):
        assert (
            f"cloudrun-acceptance: {region}: traffic: the rollout was interrupted during step "
            f"50%: {REVISION} serves 50% as the last confirmed step set it; finish it or revert "
            "it with the commands below"
        ) in out, out
        assert (
            f"cloudrun-acceptance: {region}: by hand: gcloud run services update-traffic "
            f"emergence-app --to-revisions {REVISION}=100 --region {region} --project "
            "sandbox-project"
        ) in out
