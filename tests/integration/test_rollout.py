"""The rollout in steps against the sandbox, through the real clients: the users' traffic
generator, the front end routing it by the split, Cloud Run's request logs of both revisions.

Each profile's test asserts the steps taken, the traffic left and the messages.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
import yaml

from tests.integration.gatekit import (
    COMPARE_UNASKED,
    FAST,
    INTERRUPTIBLE_PYTEST,
    deployed,
    edit_contract,
    run_gate,
)
from tests.integration.gcloudkit import needs_gcloud, run_as_printed

CANDIDATE = "emergence-app-00003-abc"
STABLE = "emergence-app-00001-xyz"


def step(share: int) -> str:
    return f"test_rollout_step[{share}%]"


def shares(sandbox) -> list[tuple[str, int]]:
    return [(t.revision, t.percent) for t in sandbox.traffic.current() if t.percent]


def without_compare(gate_dir) -> None:
    """The contract without its compare: section: these tests judge the steps, and the paired
    load would add its seconds to each."""
    path = gate_dir.path / "tests/acceptance/contract.yaml"
    contract = yaml.safe_load(path.read_text())
    del contract["compare"]
    path.write_text(yaml.safe_dump(contract, sort_keys=False))


def rollout(
    gate_dir, sandbox, steps: str, *, bake: float, min_requests: int = 30, extra=(), **more
):
    """The gate with --rollout=STEPS and a short bake. The traffic the gate reads before the
    first step is the sandbox's own while the gate's checks share its process, below its users'
    150 requests/s: these tests judge the steps, so they roll out on whatever it is (one test
    below checks the refusal)."""
    without_compare(gate_dir)
    edit_contract(gate_dir, "rollout", "bake_seconds", bake)
    edit_contract(gate_dir, "rollout", "min_requests", min_requests)
    more.setdefault("on_low_traffic", "proceed")
    for key, value in more.items():
        edit_contract(gate_dir, "rollout", key, value)
    return run_gate(
        gate_dir, *deployed(sandbox), "--tag", "candidate", f"--rollout={steps}", *extra
    )


def to_100_looked_at_every_second(gate_dir, sandbox):
    """--rollout=25,100, the step looked at every second for up to 30 s, passing from 2 s."""
    return rollout(
        gate_dir,
        sandbox,
        "25,100",
        bake=30.0,
        look_seconds=1.0,
        min_bake_seconds=2.0,
        error_tolerance=0.05,
    )


def test_a_good_candidate_is_rolled_out_step_by_step(gate_dir, sandbox_with):
    sandbox = sandbox_with("rollout_candidate")
    run = to_100_looked_at_every_second(gate_dir, sandbox)
    run.expect(skipped=COMPARE_UNASKED)
    assert shares(sandbox) == [(CANDIDATE, 100)]
    figures = run.verdicts[step(25)]["figures"]
    assert int(figures["candidate requests"]) >= 30
    assert int(figures["stable requests"]) > int(figures["candidate requests"])
    assert figures["action"] == "advanced"
    assert run.verdicts[step(100)]["figures"]["action"] == "completed"
    # Cloud Monitoring's counts of the window, through the discovery client: every request in
    # the whole 1-s samples of the window, the logs' users' requests among them.
    counted, _, errors = figures["candidate requests (Monitoring)"].partition(" (")
    assert int(counted) >= int(figures["candidate requests"]) - 30  # a partial second each end
    assert errors.endswith(" 5xx)")
    assert figures["metrics covered"].endswith("(2 call(s))")  # the counts, the latencies
    assert figures["candidate p50 / p95 (Monitoring, ms)"].count("-") >= 1
    run.result.stdout.fnmatch_lines(
        [
            "cloudrun-acceptance: rollout: Step * Share * Window * Requests * Verdict * Action",
            "cloudrun-acceptance: rollout: 1 of 2 * 25% * passed * advanced",
            "cloudrun-acceptance: rollout: 2 of 2 * 100% * passed * completed",
            "cloudrun-acceptance: traffic: rolled out in steps (25%, 100%), completed: "
            f"{CANDIDATE} serves 100% *",
        ]
    )


def test_without_cloud_monitoring_a_step_is_judged_on_the_logs_and_says_so(gate_dir, sandbox_with):
    sandbox = sandbox_with("rollout_candidate", monitoring_api_status=403)
    run = to_100_looked_at_every_second(gate_dir, sandbox)
    run.expect(skipped=COMPARE_UNASKED)
    verdict = run.verdicts[step(25)]
    assert verdict["figures"]["metrics covered"] == "not read"
    (said,) = [line for line in verdict["evidence"] if "Cloud Monitoring was not read" in line]
    assert "denied monitoring.timeSeries.list" in said
    assert "roles/monitoring.viewer" in said
    assert said.endswith("the counts are the request logs' alone")


def test_errors_from_25_percent_fail_that_step_and_send_all_traffic_back(gate_dir, sandbox_with):
    sandbox = sandbox_with("step_errors")
    run = rollout(gate_dir, sandbox, "10,50,100", bake=10.0, look_seconds=1.0, min_bake_seconds=10)
    run.expect(failed={step(50)}, skipped={step(100)} | COMPARE_UNASKED)
    assert shares(sandbox) == [(STABLE, 100)]
    verdict = run.verdicts[step(50)]
    assert verdict["summary"].startswith(
        "the candidate failed more of the users' requests at 50% over"
    )
    assert f"all traffic went back to {STABLE} (operation " in verdict["evidence"][-1]
    assert run.verdicts[step(10)]["figures"]["candidate 5xx rate"] == "0.00%"
    run.result.stdout.fnmatch_lines(
        [
            f"SKIPPED * not reached: step 50% failed, and all traffic went back to {STABLE}",
        ]
    )


def test_a_candidate_slower_under_the_users_mix_fails_on_latency(gate_dir, sandbox_with):
    sandbox = sandbox_with("step_slow")
    run = rollout(gate_dir, sandbox, "25,100", bake=30.0, look_seconds=1.0)
    run.expect(failed={step(25)}, skipped={step(100)} | COMPARE_UNASKED)
    assert shares(sandbox) == [(STABLE, 100)]
    verdict = run.verdicts[step(25)]
    assert "the candidate answered the users' requests slower at 25%" in verdict["summary"]
    # A regression ends the step at the look that shows it, long before its 30 s bake.
    figures = verdict["figures"]
    assert figures["ended"] == "early, as the evidence decided"  # at a look before the last
    assert figures["decided"].startswith("failed after ")
    assert (
        figures["error budget"]
        == "2.5% of 5% (the one judged step, halved between latency and 5xx)"
    )
    markdown = next((gate_dir.path / "reports").glob("*.md")).read_text()
    assert "| ❌ failed (early) | rolled back |" in markdown


def test_a_step_passes_as_soon_as_its_evidence_shows_it_within_the_tolerances(
    gate_dir, sandbox_with
):
    sandbox = sandbox_with("rollout_candidate")
    run = rollout(
        gate_dir,
        sandbox,
        "50,100",
        bake=60.0,
        look_seconds=1.0,
        min_bake_seconds=2.0,
        error_tolerance=0.05,
    )
    run.expect(skipped=COMPARE_UNASKED)
    verdict = run.verdicts[step(50)]
    assert ", before its 60 s bake ended:" in verdict["summary"]
    assert verdict["figures"]["ended"] == "early, as the evidence decided"  # before the last look
    assert any(line.startswith("traffic before the rollout: ") for line in verdict["evidence"])
    assert any(line.startswith("step 50%: about ") for line in verdict["evidence"])
    assert shares(sandbox) == [(CANDIDATE, 100)]


def looked_at_every_second(gate_dir, sandbox, **more):
    """A 50% step looked at every second, for up to 40 s, passing no sooner than 8 s; ``more``:
    other rollout: keys (error_tolerance is 0.05 unless given)."""
    return rollout(
        gate_dir,
        sandbox,
        "50,100",
        bake=40.0,
        look_seconds=1.0,
        min_bake_seconds=8.0,
        **({"error_tolerance": 0.05} | more),
    )


def test_a_regression_after_the_first_seconds_of_a_step_fails_that_step(gate_dir, sandbox_with):
    # step_late_regression, its delay shortened from a minute to 4 s: the step cannot pass
    # before its minimum bake (8 s), so the regression that starts at 4 s fails it.
    sandbox = sandbox_with("step_late_regression", late_regression_after_seconds=4.0)
    run = looked_at_every_second(gate_dir, sandbox)
    run.expect(failed={step(50)}, skipped={step(100)} | COMPARE_UNASKED)
    verdict = run.verdicts[step(50)]
    assert "the candidate answered the users' requests slower at 50%" in verdict["summary"]
    # Not before the regression began, 4 s after the update (the window opens once the update
    # is confirmed, a moment after it): a bound a loaded machine can only exceed.
    seconds = float(verdict["figures"]["window"].rpartition("(")[2].removesuffix(" s)"))
    assert seconds >= 3
    assert shares(sandbox) == [(STABLE, 100)]


def test_a_late_regression_is_caught_in_a_sample_of_the_users_requests(gate_dir, sandbox_with):
    # Reads of 40 entries against the users' 150 requests a second: each look reads a uniform
    # sample of its stretch (sample(insertId, f) through the real Logging client), so the
    # regression that starts at 4 s is in what is judged, as at a production rate.
    sandbox = sandbox_with("step_late_regression", late_regression_after_seconds=4.0)
    edit_contract(gate_dir, "rollout", "max_requests", 40)
    # The sandbox's own users' entries show at once: a look reads 1 s of the last one again
    # (not 5), so its sample is of 2 s, not 6.
    edit_contract(gate_dir, "rollout", "ingestion_seconds", 1.0)
    run = looked_at_every_second(gate_dir, sandbox)
    run.expect(failed={step(50)}, skipped={step(100)} | COMPARE_UNASKED)
    verdict = run.verdicts[step(50)]
    assert "the candidate answered the users' requests slower at 50%" in verdict["summary"]
    assert "a uniform sample, down to" in verdict["figures"]["entries read"]
    (said,) = [line for line in verdict["evidence"] if "a uniform sample of them" in line]
    assert said.startswith("the users' requests came faster than a look reads")
    assert shares(sandbox) == [(STABLE, 100)]


def test_a_cold_start_alone_passes(gate_dir, sandbox_with):
    # step_cold_start, its cold start shortened from 10 s to 3 s: the candidate's first users
    # wait, and that is its warm-up, not a regression.
    sandbox = sandbox_with("step_cold_start", step_cold_start_seconds=3.0)
    run = looked_at_every_second(gate_dir, sandbox)
    run.expect(skipped=COMPARE_UNASKED)
    verdict = run.verdicts[step(50)]
    # The cold start is in the window, and the judge left it out as the candidate's warm-up
    # (a count of blocks, not a latency: a loaded machine slows both revisions alike).
    (warm_up,) = [line for line in verdict["evidence"] if line.endswith("were its warm-up")]
    assert int(warm_up.split()[3]) >= 1
    assert shares(sandbox) == [(CANDIDATE, 100)]


def test_too_little_traffic_is_said_before_any_traffic_moves(gate_dir, sandbox_with):
    sandbox = sandbox_with("low_traffic")
    run = rollout(gate_dir, sandbox, "10,100", bake=2.0, on_low_traffic="refuse")
    assert shares(sandbox) == [(STABLE, 100)]  # nothing moved
    run.result.stdout.fnmatch_lines(
        [
            "*not rolled out: too little traffic for step 10% to decide within its longest bake, "
            "6 s (rollout.bake_seconds with its holds), at the traffic of the last bake; no "
            "traffic was moved",
            "*  traffic before the rollout: * users' requests/s over the last 2 s",
            "*  step 10%: about * to decide (* of the candidate's requests at */s, and 30 a side "
            "at least)",
            "*What to do: roll out when the service has more users, or in larger first steps "
            "(--rollout=25,50,100), or raise rollout.bake_seconds; or roll out anyway with "
            "--rollout-anyway (rollout.on_low_traffic: proceed), *",
        ]
    )


def test_too_few_requests_rolled_out_anyway_hold_then_roll_back(gate_dir, sandbox_with):
    sandbox = sandbox_with("low_traffic")
    run = rollout(
        gate_dir,
        sandbox,
        "50,100",
        bake=1.0,
        max_holds=1,
        on_low_traffic="refuse",
        extra=("--rollout-anyway",),
    )
    run.expect(failed={step(50)}, skipped={step(100)} | COMPARE_UNASKED)
    assert shares(sandbox) == [(STABLE, 100)]
    verdict = run.verdicts[step(50)]
    assert verdict["summary"].startswith(
        "step 50% stayed undecided after 1 more bake, so it rolled back: too few users' requests"
    )
    assert verdict["figures"]["holds"] == "1"
    assert verdict["figures"]["verdict"] == "inconclusive"


@pytest.mark.parametrize(
    ("profile", "extra", "why"),
    [
        ("candidate_errors", (), "checks did not pass at 0%"),
        (
            "rollout_candidate",
            ("--deselect", "cloudrun_acceptance/gate/test_compare.py"),
            "deselected",
        ),
    ],
    ids=["a check failed at 0%", "a check deselected"],
)
def test_a_candidate_not_passed_at_0_percent_is_not_rolled_out(
    gate_dir, sandbox_with, profile, extra, why
):
    sandbox = sandbox_with(profile)
    before = shares(sandbox)
    edit_contract(gate_dir, "rollout", "bake_seconds", 0.5)
    run = run_gate(gate_dir, *deployed(sandbox), "--tag", "candidate", "--rollout=50,100", *extra)
    assert run.skipped >= {step(50), step(100)}
    assert shares(sandbox) == before
    run.result.stdout.fnmatch_lines([f"SKIPPED * not rolled out: *{why}*; no traffic was moved"])


@needs_gcloud
@pytest.mark.parametrize(
    "stop", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl-C", "SIGTERM (a cancelled CI job)"]
)
def test_an_interrupted_rollout_says_where_it_stopped_and_its_commands_run(
    gate_dir, sandbox_with, stop
):
    sandbox = sandbox_with("rollout_candidate")
    without_compare(gate_dir)
    edit_contract(gate_dir, "rollout", "bake_seconds", 60)
    edit_contract(gate_dir, "rollout", "on_low_traffic", "proceed")
    command = [*INTERRUPTIBLE_PYTEST, "-p", "no:cacheprovider", *FAST, *deployed(sandbox)]
    gate = subprocess.Popen(
        [*command, "--tag", "candidate", "--rollout=50,100"],
        cwd=gate_dir.path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # A gate that would not stop is made to show where each of its threads is (SIGABRT).
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},
    )
    deadline = time.monotonic() + 60
    while (CANDIDATE, 50) not in shares(sandbox) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert shares(sandbox) == [(CANDIDATE, 50), (STABLE, 50)]
    time.sleep(1.5)  # the update's operation, reconcile and read-back: the step bakes
    gate.send_signal(stop)
    try:
        out, _ = gate.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        gate.send_signal(signal.SIGABRT)
        out, _ = gate.communicate(timeout=30)
        pytest.fail(
            f"the gate did not stop within 60 s of {stop.name}; its threads:\n{out[-8000:]}"
        )
    assert gate.returncode == 2, out
    assert shares(sandbox) == [(CANDIDATE, 50), (STABLE, 50)]  # left as the step set it
    assert (
        f"cloudrun-acceptance: traffic: the rollout was interrupted during step 50%: {CANDIDATE} "
        "serves 50% as the last confirmed step set it; finish it or revert it with the commands "
        "below" in out
    )
    printed = [
        line.removeprefix("cloudrun-acceptance: by hand: ")
        for line in out.splitlines()
        if line.startswith("cloudrun-acceptance: by hand: ")
    ]
    finish, revert = printed
    assert finish == (
        f"gcloud run services update-traffic emergence-app --to-revisions {CANDIDATE}=100 "
        "--region europe-west1 --project sandbox-project"
    )
    assert run_as_printed(sandbox, revert).returncode == 0
    assert shares(sandbox) == [(STABLE, 100)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--sandbox", "--rollout=50,25"),
            "ERROR: '50,25' from --rollout (command line) are not a rollout's steps: [50, 25] is "
            "not ascending; give ascending shares, such as --rollout=5,25,50,100.",
        ),
        (
            ("--sandbox", "--rollout"),
            "ERROR: --rollout from --rollout (command line) needs --tag: a rollout moves "
            "traffic in steps to a candidate deployed with --no-traffic --tag NAME, once it "
            "passed at 0%.",
        ),
        (
            ("--sandbox", "--tag", "candidate", "--rollout", "-p", "xdist", "-n", "2"),
            "ERROR: --rollout and -n 2 were both given; a rollout's steps run one after the "
            "other, after every other check, in one process. Drop -n.",
        ),
        (
            ("--sandbox", "--tag", "candidate", "--rollout", "--promote"),
            "ERROR: --rollout from --rollout (command line) and --promote from "
            "--promote (command line) were both given; a rollout ends at its last step itself. "
            "Drop --promote.",
        ),
    ],
    ids=["not ascending", "without --tag", "with xdist", "with --promote"],
)
def test_a_bad_rollout_is_a_usage_error_before_collection(gate_dir, args, message):
    run = run_gate(gate_dir, *args)
    assert run.result.ret == pytest.ExitCode.USAGE_ERROR, run.result.stdout.str()
    assert run.outcomes == {}
    run.result.stderr.fnmatch_lines([message])
    assert "Traceback" not in run.result.stdout.str() + run.result.stderr.str()
