"""The fixtures of the rollout in steps (``--rollout``; engine/rollout_steps.py runs it), and of the
judge of a canary phase whose split another engine set (``--canary-phase``).

Without --rollout the step checks are skipped with that reason, and nothing moves. With it, the
first step waits for every other check of the run: a candidate that did not pass at 0% (or a run
with checks deselected) is not rolled out. A canary phase's judge moves nothing.

PYTEST_DONT_REWRITE: a module of the plugin's ``pytest_plugins``, which plugin/hooks.py may
import before pytest registers it; it holds no test's assertion, and the marker keeps
pytest 8 from warning that it could not rewrite one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ..model.errors import AdminApiError, LoggingApiError
from ..model.rollout import RolloutRules
from ..model.service import ServiceFacts
from ..model.target import Target
from ..model.verdict import Verdict
from .collection import CASES
from .records import record_of
from .state import TargetSession
from .targetstates import record_key

if TYPE_CHECKING:  # the rollout's modules load only in a run that rolls out or judges a phase
    from ..engine.rollout_group import RolloutGroup, TargetRollout
    from ..engine.rollout_steps import Rollout
    from ..engine.window_judge import WindowJudge

NOT_ASKED = CASES["rollout_step"]
STEP_CHECK = "test_rollout_step"


@pytest.fixture(scope="session")
def rollout_rules(_gate_state: TargetSession) -> RolloutRules:
    """The contract's rollout section; the steps are skipped without --rollout."""
    if _gate_state.settings.rollout is None:
        pytest.skip(NOT_ASKED)
    return _gate_state.contract.rollout


@pytest.fixture(scope="session")
def rollout(
    rollout_rules: RolloutRules,
    deployment: ServiceFacts,
    target: Target,
    _gate_state: TargetSession,
    request: pytest.FixtureRequest,
) -> TargetRollout:
    """The run's rollout, once every other check has passed (in a run of several targets, of
    every target: they are rolled out step by step together, all or none)."""
    states = _gate_state.run_states()
    records = [record for state in states if (record := record_of(request.config, state))]
    earlier = [
        result
        for record in records
        for nodeid, result in record.results.items()
        if STEP_CHECK not in nodeid and result.shown_outcome not in {"passed", "skipped"}
    ]
    if earlier:
        names = ", ".join(result.name for result in earlier[:3])
        pytest.skip(
            f"not rolled out: {len(earlier)} checks did not pass at 0% ({names}); no traffic "
            "was moved"
        )
    deselected = sum(len(record.deselected) for record in records)
    if deselected:
        pytest.skip(
            f"not rolled out: {deselected} checks were deselected (-k/-m); --rollout acts only "
            "on a run of every check; no traffic was moved"
        )
    from ..engine.rollout_group import TargetRollout

    group = _gate_state.shared.group(lambda: _group(states, rollout_rules))
    return TargetRollout(group, record_key(_gate_state))


def _group(states: list[TargetSession], rules: RolloutRules) -> RolloutGroup:
    """A rollout per target, each with the judge of its split's windows."""
    from ..checks.budget import rollout_budget
    from ..engine.rollout_group import RolloutGroup
    from ..engine.rollout_steps import Rollout

    members = {}
    for state in states:
        facts = state.lookup()
        target = state.target
        if isinstance(facts, AdminApiError) or target is None:
            problem = facts.summary if isinstance(facts, AdminApiError) else "no target"
            pytest.fail(f"not rolled out: {problem}; no traffic was moved", pytrace=False)
        settings = state.settings
        steps = settings.rollout or rules.steps
        judge = _window_judge(facts, target, state, "not rolled out", "; no traffic was moved")
        judge.budget = rollout_budget(rules, steps)
        rollout = Rollout(
            facts=facts,
            judge=judge,
            steps=steps,
            endpoint=target.cloudrun_endpoint,
            update_timeout=settings.ready_timeout,
        )
        state.begin_rollout(rollout)
        members[record_key(state)] = rollout
    anyway = states[0].settings.rollout_anyway or rules.on_low_traffic == "proceed"
    for key, member in members.items():  # before any traffic moves
        try:
            member.judge.prepare()
            member.plan = _traffic_plan(member, anyway, key if len(members) > 1 else "")
        except LoggingApiError as err:
            pytest.fail(
                f"not rolled out: the request logs cannot be read ({err.summary}); no traffic "
                f"was moved. {err.advice}",
                pytrace=False,
            )
    return RolloutGroup(members)


def _traffic_plan(member: Rollout, anyway: bool, where: str) -> tuple[str, ...]:
    """What each step needs at the traffic of the last bake, said before any traffic moves;
    fails the rollout when a step cannot decide within its longest bake, unless the user asked
    for it (``anyway``)."""
    from ..checks.budget import rollout_budget
    from ..checks.plan import traffic_plan

    rules = member.rules
    said, short = traffic_plan(
        member.judge.recent(), rules, member.steps, rollout_budget(rules, member.steps)
    )
    if where:
        said = (f"{said[0]} in {where}", *said[1:])
    if short and not anyway:
        names = ", ".join(f"{step}%" for step in short)
        pytest.fail(
            "\n".join(
                (
                    f"not rolled out: too little traffic for step {names} to decide within its "
                    f"longest bake, {rules.max_step_seconds:g} s (rollout.bake_seconds with its "
                    "holds), at the traffic of the last bake; no traffic was moved",
                    *(f"  {line}" for line in said),
                    "What to do: roll out when the service has more users, or in larger first "
                    "steps (--rollout=25,50,100), or raise rollout.bake_seconds; or roll out "
                    "anyway with --rollout-anyway (rollout.on_low_traffic: proceed), knowing "
                    "that these steps may end undecided and roll back",
                )
            ),
            pytrace=False,
        )
    return said


def _window_judge(
    deployment: ServiceFacts,
    target: Target,
    _gate_state: TargetSession,
    failure: str,
    after: str = "",
) -> WindowJudge:
    """The judge of the split's windows: the candidate against the one stable revision that
    serves beside it; fails ``failure: why`` when there is no such revision."""
    from ..checks.rollout_step import stable_of
    from ..engine.read_quota import read_pacer
    from ..engine.window_judge import WindowJudge

    stable, why = stable_of(deployment)
    if not stable:
        pytest.fail(f"{failure}: {why}{after}", pytrace=False)
    rules = _gate_state.contract.rollout
    return WindowJudge(
        deployment,
        stable,
        rules,
        target.logging_endpoint,
        _gate_state.settings.logs_timeout,
        monitoring_endpoint=target.monitoring_endpoint,
        pacer=read_pacer(
            _gate_state.shared.pacers,
            deployment.ref.project,
            _gate_state.contract.logs.reads_per_minute,
        ),
    )


@pytest.fixture(scope="session")
def canary_judgement(
    deployment: ServiceFacts, target: Target, _gate_state: TargetSession
) -> Verdict:
    """The canary phase's split as it is, baked (rollout.bake_seconds) and judged on both
    revisions' users' requests, as a rollout step is; skipped at 100%."""
    settings = _gate_state.settings
    if not settings.canary_phase:
        pytest.skip("judges a canary phase another engine set: give --canary-phase")
    revision = deployment.revision.name
    share = deployment.share_of(revision)
    if share >= 100:
        pytest.skip(
            f"{revision} serves 100% of traffic in this phase: nothing is left to compare it "
            "with, and the checks of the service URL judged it"
        )
    from datetime import UTC, datetime

    from ..checks.budget import phase_budget

    rules = _gate_state.contract.rollout
    updated = deployment.updated
    since = (datetime.now(UTC) - updated).total_seconds() if updated else 0.0
    budget = phase_budget(rules, share, since)
    if isinstance(budget, str):
        pytest.fail(f"not judged: {budget}", pytrace=False)
    judge = _window_judge(deployment, target, _gate_state, "not judged")
    judge.budget = budget
    return judge.judge(share)[1]
