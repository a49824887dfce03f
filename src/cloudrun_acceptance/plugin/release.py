"""Acting on the verdict at the end of the run: promote a passed revision, roll back a failed
one, or leave the exact commands for the operator. Only what the flags ask for is changed.

The release runs when the session finishes, before the reports are written (a hook wrapper
runs before the reporter), so the report says what was done to traffic, and why. Never after a
usage error (there is no session), an interrupted run, or a run that collected nothing.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import replace

import pytest

from ..checks.allornone import plan_all_or_none
from ..engine.traffic_write import write_traffic
from ..model.release import ReleaseOutcome, ReleasePlan
from ..model.service import ServiceFacts
from ..report.record import RunRecord
from .state import TargetSession
from .targetstates import record_key

ACTS_AFTER = {pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED}
ENGINE_MOVES = (
    "a canary phase (--canary-phase): the engine that set the split (Cloud Deploy) moves the "
    "traffic on this job's exit code, so the gate changed nothing and advises nothing"
)


class Releaser:
    """Decides, and when asked acts, on traffic once every check has reported: for each of the
    run's targets, all or none (``states``: a target each, the run's own first; ``records``:
    their records by key)."""

    def __init__(self, states: list[TargetSession], records: dict[str, RunRecord]) -> None:
        self.states = states
        self.state = states[0]
        self.records = records
        # Each target's etag after the gate changed its traffic (for putting it back).
        self._etags: dict[TargetSession, str] = {}

    @pytest.hookimpl(wrapper=True)
    def pytest_sessionfinish(
        self, session: pytest.Session, exitstatus: int
    ) -> Generator[None, None, None]:
        for state in self.states:  # the Admin API's full read, for the reports' header
            record, facts = self._record(state), state.known_facts()
            if record is not None and facts is not None:
                record.facts = facts
        records = [record for state in self.states if (record := self._record(state))]
        for record in records:
            record.exitstatus = int(exitstatus)
            record.interrupted = exitstatus == pytest.ExitCode.INTERRUPTED
        interrupted = exitstatus == pytest.ExitCode.INTERRUPTED
        rolled = {
            state: done
            for state in self.states
            if state.rollout is not None
            and (done := state.rollout.outcome(interrupted=interrupted)) is not None
        }
        if rolled:  # the rollout moved the traffic itself: it says what it did, per target
            for state, done in rolled.items():
                if (record := self._record(state)) is not None:
                    record.release = done
            if any(done.failed for done in rolled.values()):
                session.exitstatus = pytest.ExitCode.TESTS_FAILED
        elif exitstatus in ACTS_AFTER and any(record.results for record in records):
            outcomes = self.release()
            for state in self.states:
                if (record := self._record(state)) is not None and state in outcomes:
                    record.release = outcomes[state]
            if any(outcome.failed for outcome in outcomes.values()):
                session.exitstatus = pytest.ExitCode.TESTS_FAILED
        return (yield)

    def _record(self, state: TargetSession) -> RunRecord | None:
        return self.records.get(record_key(state))

    def release(self) -> dict[TargetSession, ReleaseOutcome]:
        """Each target's plan for the run's statuses, carried out when the flags ask for it."""
        known: dict[TargetSession, ServiceFacts] = {}
        for state in self.states:
            if state.target is not None and state.target.ref is not None:
                facts = state.lookup()
                if isinstance(facts, ServiceFacts):
                    known[state] = facts
        statuses = {key: record.status for key, record in self.records.items()}
        settings = self.state.settings
        plans = plan_all_or_none(
            statuses,
            {record_key(state): facts for state, facts in known.items()},
            self.state.contract.revision,
            promote=settings.promote,
            rollback=settings.rollback_on_failure,
        )
        deselected = sum(len(record.deselected) for record in self.records.values())
        outcomes = {}
        for state, facts in known.items():
            plan = plans[record_key(state)]
            if settings.canary_phase:
                # Not ours to move, nor to advise: the engine's next phase, or its rollback, is.
                plan = ReleasePlan("none", ENGINE_MOVES)
            if plan.action == "promote" and deselected:
                plan = ReleasePlan(
                    "none",
                    f"{deselected} checks were deselected (-k/-m): --promote acts only on a run "
                    "of every check, so nothing was changed",
                    commands=plan.commands,
                )
            if plan.action == "none":
                outcomes[state] = ReleaseOutcome(
                    plan, changed=False, summary=plan.reason, before=facts.traffic
                )
            else:
                outcomes[state] = self.carry_out(plan, facts, state)
        refused = [
            record_key(s) for s, o in outcomes.items() if o.failed and o.plan.action == "promote"
        ]
        for state, outcome in outcomes.items():
            # All or none: a promotion refused elsewhere undoes this one.
            done = outcome.plan.action == "promote" and outcome.changed and not outcome.failed
            if refused and done:
                outcomes[state] = self._put_back(state, known[state], outcome, refused)
        return outcomes

    def _put_back(
        self, state: TargetSession, facts: ServiceFacts, done: ReleaseOutcome, refused: list[str]
    ) -> ReleaseOutcome:
        """A target promoted while another's promotion failed: its traffic as it was before."""
        where = ", ".join(refused)
        plan = ReleasePlan(
            "rollback",
            f"promoted, but the promotion failed in {where}: the targets are released all or "
            "none, so this one's traffic was put back as it was",
            traffic=done.before,
        )
        now = replace(facts, traffic=done.after, etag=self._etags.get(state, facts.etag))
        back = self.carry_out(plan, now, state)
        summary = (
            f"promoted, then put back as it was, since the promotion failed in {where}: "
            f"{back.summary}"
        )
        return replace(back, summary=summary, before=done.before)

    def carry_out(
        self, plan: ReleasePlan, facts: ServiceFacts, state: TargetSession
    ) -> ReleaseOutcome:
        """The plan's traffic written (engine/traffic_write.py); the etag kept for a put-back."""
        target = state.target
        endpoint = target.cloudrun_endpoint if target is not None else None
        outcome, etag = write_traffic(
            plan, facts, endpoint=endpoint, timeout=state.settings.ready_timeout
        )
        if etag:
            self._etags[state] = etag
        return outcome
