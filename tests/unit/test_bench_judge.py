"""bench/judge.py's fast paths are faithful: on small seeded cases, each gives the outcome, the
end and the look that the project's real functions give on real objects.

The comparison: a real ``PairedLoad`` of ``Sample``s, grown one exchange at a time by the paired
load's own plan and look (``probe/pairedload.py``'s ``_Run``, without threads), ``still_open``
at each look, then ``judge_latency(compare_latency(...))`` per kind and ``judge_errors``. A step
and a canary run: the real ``WindowJudge.judge`` loop on a fake clock, its window grown at each
look by its own reads (a uniform sample of the requests since the last look when more came than
``max_requests``, planned from the rate the last read saw, read again smaller when one reaches
its cap), each look judged by ``judge_step`` at the same budget. No timing is asserted: the error rates are the
bench's output, not the tests'.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import numpy as np
import pytest

from bench import judge
from cloudrun_acceptance.checks.budget import phase_budget, rollout_budget
from cloudrun_acceptance.checks.compare import (
    compare_latency,
    judge_errors,
    judge_latency,
    still_open,
)
from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.engine import window_judge as window_module
from cloudrun_acceptance.engine.window_judge import WindowJudge
from cloudrun_acceptance.google.requestlog import Slice
from cloudrun_acceptance.model.compare import Endpoint, Sample
from cloudrun_acceptance.model.rollout import RevisionTraffic, RolloutRules, StepWindow
from cloudrun_acceptance.probe.pairedload import _Run, mix_of
from tests.faketime import FakeTime
from tests.paths import SHIPPED_CONTRACT

CONTRACT = load_contract(SHIPPED_CONTRACT)
COMPARE = CONTRACT.compare
ROLLOUT = CONTRACT.rollout
assert COMPARE is not None


def real_compare(draws: dict[str, judge.Draws], rules) -> judge.CompareOutcome:
    """The paired load as run_paired_load sends it (one exchange at a time), judged by the
    gate's own functions."""
    kinds = mix_of(rules, "session")[0]
    names = [kind.name for kind in kinds]
    looks = 0

    def undecided(load):
        nonlocal looks
        looks += 1
        return still_open(load, rules, names)

    run = _Run(
        Endpoint("stable", "http://stable"),
        Endpoint("candidate", "http://candidate"),
        kinds,
        1,
        rules.deadline_seconds,
        (),
        undecided,
    )
    while (item := run.plan.next()) is not None:
        number, kind, pair, side = item
        drawn = draws[kind.name]
        failed = (drawn.baseline_failed if side == "baseline" else drawn.candidate_failed)[pair]
        seconds = (drawn.baseline if side == "baseline" else drawn.candidate)[pair]
        status = 500 if failed else 200
        run.record(Sample(kind.name, side, number, status, float(seconds), pair=pair))
    load = run.load(final=True)
    statuses = [
        (
            name,
            judge_latency(
                comparison=compare_latency(kind=name, load=load, rules=rules),
                rules=rules,
                load=load,
            ).status,
        )
        for name in names
    ]
    statuses.append(("errors", judge_errors(load=load, rules=rules).status))
    return judge.CompareOutcome(tuple(statuses), len(load.of("candidate")), looks, 0.0)


SMALL = replace(COMPARE, max_count=500)
HEAVY = replace(
    SMALL, requests=(SMALL.requests[0], replace(SMALL.requests[1], weight=2)), max_count=400
)
COMPARE_CASES = [
    (judge.LOGNORMAL_05, judge.AA, SMALL, 1),
    (judge.LOGNORMAL_05, judge.AA, replace(SMALL, max_count=1500), 2),
    (judge.LOGNORMAL_10, judge.AA, SMALL, 3),
    (judge.CACHE, judge.AA, SMALL, 4),
    (judge.LOGNORMAL_05, judge.LATENCY, SMALL, 5),
    (judge.ROUNDED, judge.LATENCY, SMALL, 6),
    (judge.TAIL, judge.LATENCY, SMALL, 7),
    (judge.LOGNORMAL_05, judge.ERRORS, SMALL, 8),
    (judge.CACHE, judge.ERRORS, replace(SMALL, max_count=1200), 9),
    (judge.LOGNORMAL_05, judge.LATENCY, HEAVY, 10),
    (judge.BOUNDARY, judge.EXACT_10, SMALL, 11),
]


@pytest.mark.parametrize(("model", "scenario", "rules", "seed"), COMPARE_CASES)
def test_the_fast_comparison_decides_as_the_real_load_and_judge(model, scenario, rules, seed):
    draws = judge.compare_draws(model, scenario, rules, (seed,))
    fast = judge.fast_compare(draws, rules)
    real = real_compare(draws, rules)
    assert (fast.statuses, fast.exchanges, fast.looks) == (
        real.statuses,
        real.exchanges,
        real.looks,
    )


def test_the_comparison_cases_close_kinds_early_and_run_to_the_budget():
    """The cases above exercise both ends: a load decided before its budget, one that is not."""
    ends = set()
    for model, scenario, rules, seed in COMPARE_CASES:
        outcome = judge.fast_compare(judge.compare_draws(model, scenario, rules, (seed,)), rules)
        budget = sum(rules.budget_of(kind.weight) for kind in rules.requests)
        ends.add(outcome.exchanges < budget)
    assert ends == {True, False}


class SimulatedJudge(WindowJudge):
    """The real WindowJudge (its looks, its reads' samples, what it reads again), its clock the
    fake one and its request logs a simulated stream: each read takes the stream's requests of
    its stretch (times from the window's start), sampled as sample(insertId, f) would, oldest
    first, up to max_requests."""

    EPOCH = datetime(2026, 1, 1, tzinfo=UTC)

    def setup(self, stream: judge.Stream, start: float, clock: FakeTime) -> SimulatedJudge:
        self.stream, self.offset, self.clock = stream, start, clock
        self._reader = SimpleNamespace(waited=0.0)  # type: ignore[assignment]
        return self

    def prepare(self) -> None:
        pass

    def now(self) -> datetime:
        return self.EPOCH + timedelta(seconds=self.clock.now)

    def counted(self, window):
        return window  # no Cloud Monitoring: the verdict stands on the logs alone anyway

    def _read(self, share, begin, end, origin, fraction, deadline, seen=frozenset()):
        first = (begin - self.EPOCH).total_seconds()
        last = (end - self.EPOCH).total_seconds()
        read, capped = self.stream.read(
            self.offset + first, self.offset + last, fraction, self.rules.max_requests
        )
        relative = self.stream.times - self.offset
        keys = {f"i{index}": float(relative[index]) for index in read}
        chosen = np.array([index for index in read if f"i{index}" not in seen], dtype=np.int64)
        parts = []
        for name, mine in (
            (self.candidate, self.stream.candidate[chosen]),
            (self.stable, ~self.stream.candidate[chosen]),
        ):
            picked = chosen[mine]
            parts.append(
                RevisionTraffic(
                    name,
                    tuple(int(s) for s in np.where(self.stream.failed[picked], 500, 200)),
                    tuple(float(s) for s in self.stream.seconds[picked]),
                    tuple(float(t) for t in relative[picked]),
                )
            )
        window = StepWindow(
            share, begin, end, parts[0], parts[1], capped=capped, fraction=fraction, pages=1
        )
        return Slice(window, keys)


def real_judge(monkeypatch, stream, start, rules, budget, share) -> judge.StepOutcome:
    clock = FakeTime()
    monkeypatch.setattr(window_module, "time", clock)
    facts = SimpleNamespace(revision=SimpleNamespace(name="candidate"))
    judged = SimulatedJudge(facts, "stable", rules, None, 1.0, budget).setup(stream, start, clock)
    found, verdict = judged.judge(share)
    assert isinstance(found, StepWindow)
    return judge.StepOutcome(verdict.status, "", found.seconds, found.looks, found.holds)


def same(fast: judge.StepOutcome, real: judge.StepOutcome) -> bool:
    return (fast.status, fast.seconds, fast.looks, fast.holds) == (
        real.status,
        real.seconds,
        real.looks,
        real.holds,
    )


QUICK = RolloutRules(
    steps=(10, 50, 100),
    bake_seconds=60.0,
    look_seconds=5.0,
    min_bake_seconds=20.0,
    warmup_seconds=5.0,
    min_requests=30,
)
ROLLOUT_CASES = [
    (judge.LOGNORMAL_05, judge.AA_USERS, 40.0, QUICK, 1),
    (judge.LOGNORMAL_10, judge.AA_USERS, 20.0, QUICK, 2),
    (judge.ROUNDED, judge.AA_USERS, 40.0, replace(QUICK, look_seconds=7.0), 3),
    (judge.LOGNORMAL_05, judge.LATENCY_USERS, 60.0, QUICK, 4),
    (judge.TAIL, judge.LATENCY_USERS, 30.0, replace(QUICK, max_requests=60), 5),
    (judge.CACHE, judge.ERRORS_USERS, 40.0, QUICK, 6),
    (judge.LOGNORMAL_05, judge.AA_USERS, 3.0, QUICK, 7),
    (judge.LOGNORMAL_05, judge.AA_USERS, 3.0, replace(QUICK, on_too_few="rollback"), 8),
    (judge.BOUNDARY, judge.EXACT_10, 40.0, QUICK, 9),
    (judge.LOGNORMAL_05, judge.AA_USERS, 10.0, ROLLOUT, 10),
    # A few 5xx seen at the 50% step's end, too few to decide: inconclusive, rolled back.
    (
        judge.CACHE,
        judge.ERRORS_USERS,
        3.0,
        replace(QUICK, on_too_few="rollback", min_requests=5),
        20,
    ),
]


@pytest.mark.parametrize(("model", "scenario", "rate", "rules", "seed"), ROLLOUT_CASES)
def test_the_fast_rollout_judges_each_step_as_the_window_judge(
    monkeypatch, model, scenario, rate, rules, seed
):
    fast = judge.fast_rollout(model, scenario, rate, rules, (seed,))
    budget = rollout_budget(rules, rules.steps)
    shares = [step for step in rules.steps if step < 100]
    assert len(fast.steps) == next(
        (i + 1 for i, s in enumerate(fast.steps) if s.status != "passed"), len(shares)
    )
    for index, (share, step) in enumerate(zip(shares, fast.steps, strict=False)):
        stream = judge.Stream(model, scenario, rate, share, (seed, index))
        real = real_judge(monkeypatch, stream, 0.0, rules, budget, share)
        assert same(step, real), (index, step, real)


def test_the_rollout_cases_pass_fail_hold_and_roll_back():
    seen = set()
    for model, scenario, rate, rules, seed in ROLLOUT_CASES:
        for step in judge.fast_rollout(model, scenario, rate, rules, (seed,)).steps:
            seen.add((step.status, step.reason, step.holds > 0))
    statuses = {status for status, _, _ in seen}
    assert statuses == {"passed", "failed", "inconclusive"}
    assert {"latency", "errors", "5xx seen higher"} <= {reason for _, reason, _ in seen}
    assert any(held for _, _, held in seen)


STEP_CASES = [
    (judge.LOGNORMAL_05, judge.LATENCY_USERS, 100.0, 11),
    (judge.LOGNORMAL_10, judge.ERRORS_USERS, 30.0, 12),
    (judge.REPLAY, judge.AA_USERS, 20.0, 13),
]
# Steps whose looks read samples: 400 requests/s against reads of 300, 1500 against 500.
SAMPLED_CASES = [
    (judge.LOGNORMAL_05, judge.LATENCY_USERS, 400.0, replace(QUICK, max_requests=300), 14),
    (judge.LOGNORMAL_05, judge.AA_USERS, 400.0, replace(QUICK, max_requests=300), 15),
    (judge.LOGNORMAL_10, judge.ERRORS_USERS, 1500.0, replace(ROLLOUT, max_requests=500), 16),
]


@pytest.mark.parametrize(("model", "scenario", "rate", "seed"), STEP_CASES)
def test_a_timed_step_ends_at_the_window_judges_look(monkeypatch, model, scenario, rate, seed):
    fast = judge.fast_step(model, scenario, rate, ROLLOUT, (seed,))
    stream = judge.Stream(model, scenario, rate, judge.STEP_SHARE, (seed,))
    budget = rollout_budget(ROLLOUT, ROLLOUT.steps)
    assert same(fast, real_judge(monkeypatch, stream, 0.0, ROLLOUT, budget, judge.STEP_SHARE))


@pytest.mark.parametrize(
    ("model", "rate", "rules", "seed"),
    [
        (judge.LOGNORMAL_05, 20.0, replace(QUICK, steps=(5, 25, 50, 100)), 21),
        (judge.LOGNORMAL_10, 5.0, replace(QUICK, steps=(5, 25, 50, 100)), 22),
    ],
)
def test_the_fast_pipeline_judges_each_run_on_its_own_window(monkeypatch, model, rate, rules, seed):
    starts = (0.0, 20.0, 40.0, 60.0)
    monkeypatch.setattr(judge, "ANALYSIS_STARTS", starts[1:])
    fast = judge.fast_pipeline(model, rate, rules, (seed,))
    runs = [(share, start) for share in judge.PHASES for start in starts][: len(fast)]
    for (share, start), outcome in zip(runs, fast, strict=True):
        stream = judge.Stream(model, judge.AA_USERS, rate, share, (seed, judge.PHASES.index(share)))
        budget = phase_budget(rules, share, start)
        real = real_judge(monkeypatch, stream, start, rules, budget, share)
        assert same(outcome, real), (share, start, outcome, real)


@pytest.mark.parametrize(("model", "scenario", "rate", "rules", "seed"), SAMPLED_CASES)
def test_a_sampled_step_ends_at_the_window_judges_look(
    monkeypatch, model, scenario, rate, rules, seed
):
    fast = judge.fast_step(model, scenario, rate, rules, (seed,))
    stream = judge.Stream(model, scenario, rate, judge.STEP_SHARE, (seed,))
    budget = rollout_budget(rules, rules.steps)
    clock = FakeTime()
    monkeypatch.setattr(window_module, "time", clock)
    facts = SimpleNamespace(revision=SimpleNamespace(name="candidate"))
    judged = SimulatedJudge(facts, "stable", rules, None, 1.0, budget).setup(stream, 0.0, clock)
    found, verdict = judged.judge(judge.STEP_SHARE)
    real = judge.StepOutcome(verdict.status, "", found.seconds, found.looks, found.holds)
    assert same(fast, real), (fast, real)
    # Every look read a sample within the cap, none stopped at it: the first look was read
    # again smaller, planned from the rate its capped read saw.
    per_look = rules.max_requests * found.looks
    assert found.fraction < 1
    assert not found.capped
    assert found.candidate.requests + found.stable.requests <= per_look
