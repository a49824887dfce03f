"""The rollout in steps (``--rollout``), run by its checks (gate/test_rollout.py).

Each step sets the candidate's share (UpdateService with the etag the gate last read, then the
operation and the reconcile, as ``--promote`` does), bakes, and judges the window of users'
requests that Cloud Run's request logs hold for both revisions (checks/rollout_step.py). A step that
fails, or stays inconclusive past its holds, sends all traffic back to the stable revision at
once, and the steps after it are not run.

Traffic moves only with ``--rollout``, only after every other check of the run passed, and
one step at a time. An interrupted rollout leaves the traffic as its last confirmed step set it;
the release says so, with the commands that finish or revert it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from ..checks.rollout_step import back_to_stable, step_traffic
from ..model import gcloud
from ..model.errors import AdminApiError
from ..model.release import ReleaseOutcome, ReleasePlan
from ..model.rollout import Action, RolloutRules, StepRecord, StepWindow
from ..model.service import ServiceFacts, TrafficRow
from ..model.verdict import Verdict, failed, passed
from .window_judge import WindowJudge


@dataclass
class Rollout:
    """One run's rollout: the service as last read back, the judge of each step's window (its
    stable revision and rules), and each step."""

    facts: ServiceFacts
    judge: WindowJudge
    steps: tuple[int, ...]
    endpoint: str | None
    update_timeout: float
    records: list[StepRecord] = field(default_factory=list)
    # Why the steps after the last one run are not run ("" while the rollout goes on).
    stopped: str = ""
    # The step being applied or baked, and the candidate's share as last confirmed.
    current: int | None = None
    confirmed: int = 0
    operation: str = ""
    setting: bool = False
    # What the traffic before the first step lets each step expect, said with the first step.
    plan: tuple[str, ...] = ()
    # The traffic before the first step, and the candidate's share in it.
    before: tuple[TrafficRow, ...] = field(init=False)
    initial: int = field(init=False)

    def __post_init__(self) -> None:
        self.before = self.facts.traffic
        self.initial = self.confirmed = self.facts.share_of(self.candidate)

    @property
    def stable(self) -> str:
        """The revision the traffic comes from, and goes back to on a failure."""
        return self.judge.stable

    @property
    def rules(self) -> RolloutRules:
        """The contract's rollout section."""
        return self.judge.rules

    @property
    def candidate(self) -> str:
        """The revision rolled out."""
        return self.facts.revision.name

    def run(self, share: int) -> Verdict:
        """Set the candidate's share, bake, judge; roll back on a failure."""
        done = self.apply(share)
        if done is not None:
            return done
        window, verdict = self.judge.judge(share)
        return self.conclude(share, window, verdict)

    def apply(self, share: int) -> Verdict | None:
        """Set the candidate's share: the step's verdict when nothing is left to judge (it
        could not be set, or it is the step at 100%), else None."""
        self.current = share
        try:
            self._set(step_traffic(self.facts, share))
        except AdminApiError as err:
            self.current = None
            self.stopped = f"step {share}% could not be set: {err.summary}"
            self.records.append(StepRecord(share, "error", "not reached", err.summary))
            return failed(
                f"the candidate's share could not be set to {share}%: {err.summary}",
                advice=err.advice,
            )
        self.confirmed = share
        if share == 100:
            # Nothing is left to compare with: the stable revision serves no user any more.
            self.current = None
            summary = (
                f"{self.candidate} serves 100% of traffic (operation {self.operation}); the "
                "steps before this one were judged against the stable revision"
            )
            self.records.append(StepRecord(share, "passed", "completed", summary))
            return passed(summary, figures={"share (%)": "100", "action": "completed"})
        return None

    def conclude(
        self, share: int, window: StepWindow | None, verdict: Verdict, elsewhere: str = ""
    ) -> Verdict:
        """The step's outcome from its window's verdict: advanced, or rolled back. With
        ``elsewhere`` (the targets whose step did not pass, in a run of several), a passed step
        is rolled back too: the targets are rolled out all or none."""
        self.current = None
        if not self.records and self.plan:
            verdict = replace(
                verdict,
                evidence=(*verdict.evidence, *self.plan),
                figures={**verdict.figures, "before the rollout": "; ".join(self.plan)},
            )
        if verdict.status == "passed" and not elsewhere:
            action: Action = "completed" if share == self.steps[-1] else "advanced"
            self.records.append(StepRecord(share, "passed", action, verdict.summary, window))
            return replace(verdict, figures={**verdict.figures, "action": action})
        if verdict.status == "passed":
            why = f"step {share}% did not pass in {elsewhere}"
            back = self._roll_back(why)
            summary = (
                f"step {share}% passed here, but not in {elsewhere}: the targets are rolled out "
                f"all or none, so this one went back too ({verdict.summary})"
            )
            self.records.append(StepRecord(share, "passed", "rolled back", summary, window))
            return failed(
                summary,
                evidence=(back,),
                advice=f"see the step's check of {elsewhere}",
                figures={**verdict.figures, "action": "rolled back"},
            )
        outcome: Literal["failed", "inconclusive"] = (
            "failed" if verdict.status == "failed" else "inconclusive"
        )
        back = self._roll_back(f"step {share}% {outcome}")
        self.records.append(StepRecord(share, outcome, "rolled back", verdict.summary, window))
        # Rolled back, the step failed the rollout, whether its verdict was a failure or stayed
        # undecided past its holds: the exit code must say the candidate was not rolled out.
        summary = verdict.summary
        if outcome == "inconclusive":
            extra = self.rules.max_holds if self.rules.on_too_few == "hold" else 0
            holds = f" after {extra} more bake{'s' if extra != 1 else ''}" if extra else ""
            summary = f"step {share}% stayed undecided{holds}, so it rolled back: {summary}"
        return failed(
            summary,
            evidence=(*verdict.evidence, back),
            advice=verdict.advice,
            figures={
                **verdict.figures,
                "action": "rolled back",
                **({"verdict": outcome} if outcome == "inconclusive" else {}),
            },
        )

    def abandon(self, share: int, elsewhere: str) -> Verdict:
        """The step was set here, but could not be in ``elsewhere``: all traffic goes back, as
        the targets are rolled out all or none."""
        self.current = None
        back = self._roll_back(f"step {share}% could not be set in {elsewhere}")
        summary = (
            f"step {share}% was set here, but could not be in {elsewhere}: the targets are "
            "rolled out all or none, so this one went back too"
        )
        self.records.append(StepRecord(share, "error", "rolled back", summary))
        return failed(summary, evidence=(back,), advice=f"see the step's check of {elsewhere}")

    def _set(self, traffic: tuple[TrafficRow, ...]) -> None:
        from ..google.update import update_traffic

        self.setting = True  # an interrupt now leaves the traffic unknown: as before, or set
        try:
            updated = update_traffic(
                self.facts.ref,
                endpoint=self.endpoint,
                etag=self.facts.etag,
                traffic=traffic,
                revision=self.candidate,
                timeout=self.update_timeout,
            )
        except AdminApiError:
            self.setting = False  # its message says whether anything was changed
            raise
        self.facts = replace(self.facts, traffic=updated.traffic, etag=updated.etag)
        self.operation = updated.operation
        self.setting = False

    def _roll_back(self, why: str) -> str:
        """All traffic to the stable revision; a line for the step's evidence."""
        self.stopped = f"{why}, and all traffic went back to {self.stable}"
        try:
            self._set(back_to_stable(self.facts, self.stable))
        except AdminApiError as err:
            self.stopped = f"{why}, and the rollback failed"
            return (
                f"the rollback to {self.stable} failed: {err.summary}; send the traffic back "
                f"by hand: `{self._revert()}`"
            )
        self.confirmed = 0
        return f"all traffic went back to {self.stable} (operation {self.operation})"

    def _revert(self) -> str:
        return str(gcloud.set_traffic(self.facts.ref, {self.stable: 100}))

    def _finish(self) -> str:
        return str(gcloud.set_traffic(self.facts.ref, {self.candidate: 100}))

    def outcome(self, *, interrupted: bool) -> ReleaseOutcome | None:
        """What the rollout did to traffic, for the release section; None before any step."""
        if not self.records and self.current is None:
            return None
        done = [
            f"{record.share}%"
            for record in self.records
            if record.outcome == "passed" and record.action != "rolled back"
        ]
        after = self.facts.traffic
        if interrupted and (self.current is not None or self.setting):
            step = f"step {self.current}%" if self.current is not None else "the rollback"
            where = (
                f"while the traffic of {step} was being set: it may be as before or already "
                f"set (read it with `{gcloud.describe_service(self.facts.ref)}`)"
                if self.setting
                else f"during {step}: {self.candidate} serves {self.confirmed}% as the last "
                "confirmed step set it"
            )
            return ReleaseOutcome(
                ReleasePlan(
                    "none",
                    f"the rollout was interrupted during {step}",
                    commands=(self._finish(), self._revert()),
                ),
                changed=self.setting or self.confirmed != self.initial,
                summary=f"the rollout was interrupted {where}; finish it or revert it with the "
                "commands below",
                operation=self.operation,
                before=self.before,
                after=after,
            )
        last = self.records[-1]
        if last.action == "rolled back" or self.stopped:
            return ReleaseOutcome(
                ReleasePlan("rollback", self.stopped),
                changed=True,
                summary=f"rolled back at step {last.share}%: {self.stopped}"
                + (f" (steps passed: {', '.join(done)})" if done else ""),
                failed="rollback failed" in self.stopped,
                advice="" if self.confirmed == 0 else f"run `{self._revert()}`",
                operation=self.operation,
                before=self.before,
                after=after,
            )
        where = "completed" if last.share == 100 else f"left at {last.share}%, its last step"
        return ReleaseOutcome(
            ReleasePlan("promote", f"the rollout passed every step: {', '.join(done)}"),
            changed=True,
            summary=f"rolled out in steps ({', '.join(done)}), {where}: {self.candidate} serves "
            f"{self.facts.share_of(self.candidate)}% (operation {self.operation})",
            operation=self.operation,
            before=self.before,
            after=after,
        )
