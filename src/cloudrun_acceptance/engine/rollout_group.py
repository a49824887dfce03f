"""The rollout of several targets (one service in several regions), all or none: each step is
set on every target, baked once (the targets' windows bake side by side), and judged per target;
a step that fails anywhere sends every target's traffic back to its stable revision.

Each target's step is its own check (``test_rollout_step[25%-europe-west1]``), run step by step
across the targets; the first check of a step runs it for all of them, and each check reports
its own target's verdict.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, field
from threading import Thread

from ..model.rollout import StepWindow
from ..model.verdict import Verdict
from .rollout_steps import Rollout


@dataclass
class RolloutGroup:
    """The run's rollouts, a target each (keyed by its name), moved step by step together."""

    members: dict[str, Rollout]
    verdicts: dict[int, dict[str, Verdict]] = field(default_factory=dict)

    def step(self, key: str, share: int) -> Verdict:
        """The verdict of ``key``'s target at ``share``: the step is run for every target the
        first time any target asks for it."""
        if share not in self.verdicts:
            self.verdicts[share] = self._run(share)
        return self.verdicts[share][key]

    def _run(self, share: int) -> dict[str, Verdict]:
        live = {key: member for key, member in self.members.items() if not member.stopped}
        done: dict[str, Verdict] = {}
        for key, member in live.items():
            verdict = member.apply(share)
            if verdict is not None:
                done[key] = verdict
        unset = [key for key, verdict in done.items() if verdict.status != "passed"]
        pending = {key: member for key, member in live.items() if key not in done}
        if unset:
            elsewhere = ", ".join(unset)
            return {**done, **{key: m.abandon(share, elsewhere) for key, m in pending.items()}}
        windows = self._judged(pending, share)
        failing = [key for key, (_, verdict) in windows.items() if verdict.status != "passed"]
        for key, member in pending.items():
            window, verdict = windows[key]
            others = ", ".join(other for other in failing if other != key)
            done[key] = member.conclude(share, window, verdict, elsewhere=others)
        return done

    @staticmethod
    def _judged(
        pending: dict[str, Rollout], share: int
    ) -> dict[str, tuple[StepWindow | None, Verdict]]:
        """Each target's window, baked side by side: a daemon thread each (they wait on the
        clock and the Logging API), so that an interrupt (Ctrl-C) stops the gate at once
        instead of waiting out the bakes."""
        if not pending:
            return {}
        if len(pending) == 1:
            ((key, member),) = pending.items()
            return {key: member.judge.judge(share)}
        futures: dict[str, Future[tuple[StepWindow | None, Verdict]]] = {}
        for key, member in pending.items():
            future: Future[tuple[StepWindow | None, Verdict]] = Future()
            futures[key] = future
            Thread(
                target=_settle, args=(future, member, share), name=f"rollout-{key}", daemon=True
            ).start()
        return {key: future.result() for key, future in futures.items()}


def _settle(future: Future[tuple[StepWindow | None, Verdict]], member: Rollout, share: int) -> None:
    try:
        future.set_result(member.judge.judge(share))
    except BaseException as err:  # a bug: the step's check raises it
        future.set_exception(err)


@dataclass
class TargetRollout:
    """One target's view of the group, for its step checks: ``stopped`` and ``run(share)``."""

    group: RolloutGroup
    key: str

    @property
    def member(self) -> Rollout:
        """This target's rollout."""
        return self.group.members[self.key]

    def not_reached(self, share: int) -> str:
        """Why this target's step at ``share`` is not run: an earlier step stopped its rollout
        ("" when it runs, or when the step was run for every target already)."""
        if share in self.group.verdicts and self.key in self.group.verdicts[share]:
            return ""
        return self.member.stopped

    def run(self, share: int) -> Verdict:
        """This target's verdict at ``share``."""
        return self.group.step(self.key, share)
