"""12. Production traffic at any rate: a rollout step's judgement at 1 to 10,000 users' requests
a second, through the real clients, on the sandbox's simulated users.

For each rate R (RATES) and share (SHARES), and each case (CASES: a good candidate, a late
regression, a cold start, 1% 5xx), the sandbox's users are simulated at R requests a second
(sandbox/platform/simulated.py) over a step that began 920 s ago (so its bake and two holds have
passed): the stable revision served them before, then the candidate took its share. A child process (so that its CPU and memory are
the client's alone, not the sandbox's servers') judges that step as a rollout does: the traffic
before it (``WindowJudge.recent``, read through the real google-cloud-logging client) says what
the step needs, then ``WindowJudge.judge`` looks at its window every 10 s for up to its 300 s
bake, each look reading the stretch since the last through the Logging API (a uniform sample
beyond ``rollout.max_requests``), and Cloud Monitoring's counts of the window read at its end
through google-api-python-client. Its clock is its own: a look's time passes at once, as the
stretch it reads has passed already, so a 300 s step takes seconds. The read quota is not paced
here (a look's calls are counted instead).

Per case: the verdict (right: P / F / P / F; or, where the traffic is too little for the
step, the plan's refusal before any traffic moves, with the verdict the step would have had), the time it took to decide, the calls per look
(entries.list) and per judgement (timeSeries.list), the bytes the Logging client read, the
child's CPU seconds and its peak memory. Targets: every verdict right; at most 25 entries.list
calls a look and 4 timeSeries.list a step; peak memory at most twice the figure at 100 rps.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.common import PYTHON, Figure, sandbox
from cloudrun_acceptance.sandbox.faults.profiles import behaviour_for
from cloudrun_acceptance.sandbox.platform.deployment import PREVIOUS_REVISION, REVISION
from cloudrun_acceptance.sandbox.platform.simulated import SimulatedUsers
from cloudrun_acceptance.sandbox.platform.traffic import Split

BENCH = "scale"
RATES = (1.0, 10.0, 100.0, 1000.0, 10_000.0)
SHARES = (5, 50)
# Each case: the candidate's behaviour beside the busy profile's good one, and the right verdict.
CASES: dict[str, tuple[dict[str, Any], str]] = {
    "good": ({}, "passed"),
    "late regression": (
        {"late_user_slowdown": 1.5, "late_user_error_rate": 0.02},
        "failed",
    ),
    "cold start": ({"step_cold_start": True}, "passed"),
    "1% 5xx": ({"user_error_rate": 0.01}, "failed"),
}
# The step: begun this long ago (its longest judgement, a bake and two holds, has passed), baked
# and looked at as the shipped defaults say.
STEP_AGO = 920.0
BAKE_SECONDS, LOOK_SECONDS, MIN_BAKE_SECONDS = 300.0, 10.0, 120.0
MAX_CALLS_A_LOOK = 25
MAX_MONITORING_CALLS = 4
MEMORY_RATIO = 2.0


def run() -> list[Figure]:
    results: dict[tuple[float, int, str], dict[str, Any]] = {}
    with sandbox(behaviour=behaviour_for(["busy"])) as running:
        deployment = running.deployment
        for rate in RATES:
            for share in SHARES:
                for name, (changes, _) in CASES.items():
                    start = time.time() - STEP_AGO
                    # The stable revision's users for ten minutes, then the step's split.
                    history = (
                        Split(start - 600.0, {PREVIOUS_REVISION: 100}),
                        Split(start, {REVISION: share, PREVIOUS_REVISION: 100 - share}),
                    )
                    behaviour = replace(deployment.behaviour, simulated_rps=rate, **changes)
                    running.log.simulated = SimulatedUsers(
                        replace(deployment, behaviour=behaviour),
                        rate,
                        _fixed(history),
                        seed=hash((rate, share, name)) & 0xFFFF,
                    )
                    calls = running.monitoring_api.calls if running.monitoring_api else 0
                    found = _judged(running, start, share)
                    if running.monitoring_api:
                        found["monitoring calls"] = running.monitoring_api.calls - calls
                    results[rate, share, name] = found
                    print(f"  {rate:g} rps {share}% {name}: {found}", file=sys.stderr, flush=True)
    return _figures(results)


def _fixed(history: tuple[Split, ...]) -> Callable[[], tuple[Split, ...]]:
    """The splits of a step the bench set, for the simulated users to route by."""
    return lambda: history


def _judged(running: Any, start: float, share: int) -> dict[str, Any]:
    """The child's judgement of the step begun at ``start`` (seconds since the epoch)."""
    case = {
        "logging": running.logging_endpoint,
        "monitoring": running.monitoring_endpoint,
        "project": running.deployment.project,
        "region": running.deployment.region,
        "service": running.deployment.service,
        "start": start,
        "share": share,
    }
    done = subprocess.run(
        [PYTHON, "-m", "bench.scale", json.dumps(case)],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    if done.returncode != 0:
        raise RuntimeError(f"the judging child failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def judge_in_child(case: dict[str, Any]) -> dict[str, Any]:
    """In the child: the step's plan and judgement on a clock of its own, and what they cost."""
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from cloudrun_acceptance.checks.budget import rollout_budget
    from cloudrun_acceptance.checks.plan import traffic_plan
    from cloudrun_acceptance.engine import window_judge as window_module
    from cloudrun_acceptance.engine.window_judge import WindowJudge
    from cloudrun_acceptance.model.rollout import RolloutRules
    from cloudrun_acceptance.model.service import ServiceRef

    class Clock:
        """The window judge's ``time``: monotonic seconds that pass when it sleeps."""

        now = 0.0

        def monotonic(self) -> float:
            return self.now

        def sleep(self, seconds: float) -> None:
            self.now += seconds

    clock = Clock()
    setattr(window_module, "time", clock)  # noqa: B010 - the module's clock, replaced
    share = int(case["share"])
    steps = (share, 100)
    rules = RolloutRules(
        steps=steps,
        bake_seconds=BAKE_SECONDS,
        look_seconds=LOOK_SECONDS,
        min_bake_seconds=MIN_BAKE_SECONDS,
    )
    ref = ServiceRef(case["project"], case["region"], case["service"])
    facts = SimpleNamespace(
        ref=ref,
        revision=SimpleNamespace(name=REVISION, created=datetime.fromtimestamp(0, UTC)),
    )
    budget = rollout_budget(rules, steps)
    judge = WindowJudge(
        facts,  # type: ignore[arg-type]
        PREVIOUS_REVISION,
        rules,
        case["logging"],
        10.0,
        budget,
        monitoring_endpoint=case["monitoring"],
    )
    # Before the step: the traffic of the bake before it (ending as the step began).
    judge.now = lambda: datetime.fromtimestamp(case["start"], UTC)  # type: ignore[method-assign]
    reader = judge.reader()
    reader.connect()
    received = [0]
    pages = reader._pages
    sent = pages.send

    def counted(*args: Any, **kwargs: Any) -> Any:
        answer = sent(*args, **kwargs)
        received[0] += len(answer.content)
        return answer

    pages.send = counted
    cpu = time.process_time()
    recent = judge.recent()
    _, short = traffic_plan(recent, rules, steps, budget)
    judge.now = lambda: datetime.fromtimestamp(  # type: ignore[method-assign]
        case["start"] + clock.now, UTC
    )
    window, verdict = judge.judge(share)
    return {
        "refused": bool(short),
        "status": verdict.status,
        "seconds": round(window.seconds, 1) if window else None,
        "looks": window.looks if window else 0,
        "calls": window.pages if window else 0,
        "fraction": window.fraction if window else 1.0,
        "bytes": received[0],
        "cpu": round(time.process_time() - cpu, 2),
        "peak MB": _peak_megabytes(),
    }


def _peak_megabytes() -> float:
    """This process's peak resident memory since its exec (VmHWM: getrusage's ru_maxrss would
    count the parent's, as a child's starts from its fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return math.nan


def _right(found: dict[str, Any], expected: str) -> bool:
    """The verdict a user would want: the case's; or the plan's refusal before any traffic
    moves, when the step, judged anyway, could not decide it either (inconclusive) or decided
    it right: a refusal is never a wrong verdict, only a step the traffic cannot carry."""
    if found["refused"]:
        return bool(found["status"] in {expected, "inconclusive"})
    return bool(found["status"] == expected)


def _figures(results: dict[tuple[float, int, str], dict[str, Any]]) -> list[Figure]:
    figures = []
    for rate in RATES:
        for share in SHARES:
            cells = []
            right = True
            for name, (_, expected) in CASES.items():
                found = results[rate, share, name]
                ok = _right(found, expected)
                right = right and ok
                when = f" in {found['seconds']:g} s" if found["seconds"] else ""
                said = f"{found['status']}{when}"
                if found["refused"]:
                    said = f"refused up front (anyway: {said})"
                cells.append(f"{name}: {said}{'' if ok else ' (WRONG)'}")
            figures.append(
                Figure(
                    BENCH,
                    f"{rate:g} rps, {share}% step: verdicts (good, late regression, cold start, "
                    "1% 5xx)",
                    "; ".join(cells),
                    "all right (P/F/P/F, or refused up front)",
                    right,
                )
            )
    for rate in RATES:
        every = [results[rate, share, name] for share in SHARES for name in CASES]
        per_look = max(c["calls"] / max(c["looks"], 1) for c in every)
        monitoring = max(c.get("monitoring calls", 0) for c in every)
        figures.append(
            Figure(
                BENCH,
                f"{rate:g} rps: calls (the most of any case)",
                f"{per_look:.1f} entries.list a look, {monitoring} timeSeries.list a step; "
                f"{statistics.median(c['bytes'] for c in every) / 1e6:.1f} MB read, "
                f"{statistics.median(c['cpu'] for c in every):.1f} s CPU (medians); the "
                f"smallest sample {min(c['fraction'] for c in every):.3g}",
                f"<= {MAX_CALLS_A_LOOK} a look, <= {MAX_MONITORING_CALLS} a step",
                per_look <= MAX_CALLS_A_LOOK and monitoring <= MAX_MONITORING_CALLS,
            )
        )
    peak = {
        rate: max(results[rate, s, n]["peak MB"] for s in SHARES for n in CASES) for rate in RATES
    }
    base = peak[100.0]
    worst = max(peak[rate] for rate in RATES if rate >= 100)
    figures.append(
        Figure(
            BENCH,
            "the judging client's peak memory by rate (MB)",
            ", ".join(f"{rate:g} rps {mb:.0f}" for rate, mb in peak.items()),
            f"flat beyond the cap: <= {MEMORY_RATIO:g}x the figure at 100 rps",
            worst <= MEMORY_RATIO * base and not math.isnan(base),
        )
    )
    return figures


if __name__ == "__main__":
    print(json.dumps(judge_in_child(json.loads(sys.argv[1]))))
