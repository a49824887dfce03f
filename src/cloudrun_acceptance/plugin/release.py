"""Acting on the verdict at the end of the run: promote a passed revision, roll back a failed
one, or leave the exact commands for the operator. Only what the flags ask for is changed.

The release runs when the session finishes, before the reports are written (a hook wrapper
runs before the reporter), so the report says what was done to traffic, and why. Never after a
usage error (there is no session), an interrupted run, or a run that collected nothing.
"""

from __future__ import annotations

from collections.abc import Generator
from datetime import UTC, datetime

import pytest

from ..checks.release import plan_release
from ..model.errors import AdminApiError
from ..model.release import ReleaseOutcome, ReleasePlan
from ..model.service import ServiceFacts
from ..report.record import RunRecord
from .state import GateState

ACTS_AFTER = {pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED}


class Releaser:
    """Decides, and when asked acts, on traffic once every check has reported."""

    def __init__(self, state: GateState, record: RunRecord) -> None:
        self.state = state
        self.record = record

    @pytest.hookimpl(wrapper=True)
    def pytest_sessionfinish(
        self, session: pytest.Session, exitstatus: int
    ) -> Generator[None, None, None]:
        record = self.record
        record.exitstatus = int(exitstatus)
        record.interrupted = exitstatus == pytest.ExitCode.INTERRUPTED
        rollout = self.state.rollout
        done = rollout.outcome(interrupted=record.interrupted) if rollout is not None else None
        if done is not None:  # the rollout moved the traffic itself: it says what it did
            record.release = done
            if done.failed:
                session.exitstatus = pytest.ExitCode.TESTS_FAILED
        elif exitstatus in ACTS_AFTER and record.results:
            record.release = self.release()
            if record.release is not None and record.release.failed:
                session.exitstatus = pytest.ExitCode.TESTS_FAILED
        return (yield)

    def release(self) -> ReleaseOutcome | None:
        """The plan for this run's status, carried out when the flags ask for it."""
        facts = self.state.lookup()
        if isinstance(facts, AdminApiError):
            return None
        settings, record = self.state.settings, self.record
        plan = plan_release(
            record.status,
            facts,
            self.state.contract.revision,
            promote=settings.promote,
            rollback=settings.rollback_on_failure,
        )
        if plan.action == "promote" and record.deselected:
            plan = ReleasePlan(
                "none",
                f"{len(record.deselected)} checks were deselected (-k/-m): --promote acts only "
                "on a run of every check, so nothing was changed",
                commands=plan.commands,
            )
        if plan.action == "none":
            return ReleaseOutcome(plan, changed=False, summary=plan.reason, before=facts.traffic)
        return self.carry_out(plan, facts)

    def carry_out(self, plan: ReleasePlan, facts: ServiceFacts) -> ReleaseOutcome:
        """UpdateService with the etag the gate judged, then the traffic read back."""
        from ..google.update import update_traffic

        verb = "promotion" if plan.action == "promote" else "rollback"
        at = datetime.now(UTC)
        try:
            updated = update_traffic(
                facts.ref,
                endpoint=self.state.target.cloudrun_endpoint if self.state.target else None,
                etag=facts.etag,
                traffic=plan.traffic,
                revision=facts.revision.name,
                timeout=self.state.settings.ready_timeout,
            )
        except AdminApiError as err:
            return ReleaseOutcome(
                plan,
                changed=False,
                summary=f"the {verb} failed: {err.summary}",
                failed=True,
                advice=err.advice,
                at=at,
                before=facts.traffic,
            )
        wanted = {row.revision: row.percent for row in plan.traffic if row.percent}
        got = {row.revision: row.percent for row in updated.traffic if row.percent}
        if wanted != got:
            return ReleaseOutcome(
                plan,
                changed=True,
                summary=f"the {verb} was applied, but the traffic read back is not what was asked "
                f"({_shares(got)} instead of {_shares(wanted)})",
                failed=True,
                advice="another change may have come in at the same time: read the service and "
                "set its traffic by hand.",
                operation=updated.operation,
                at=at,
                before=facts.traffic,
                after=updated.traffic,
            )
        return ReleaseOutcome(
            plan,
            changed=True,
            summary=f"{'promoted' if plan.action == 'promote' else 'rolled back'}: "
            f"{_shares(got)} (operation {updated.operation})",
            operation=updated.operation,
            at=at,
            before=facts.traffic,
            after=updated.traffic,
        )


def _shares(shares: dict[str, int]) -> str:
    return ", ".join(f"{percent}% to {name}" for name, percent in shares.items()) or "no traffic"
