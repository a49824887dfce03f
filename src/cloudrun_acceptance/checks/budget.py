"""The error budget: how the false-alarm rate the user sets (1 - confidence) is shared by the
tests of one decision, so that the chance that any of them fails a candidate as good as the
stable revision stays within it (a union bound). The looks of one test cost nothing (its test
holds over every look); its holds are more looks.

- the comparison before users: one share per request kind sent, one for the errors;
- a rollout: one share per judged step (below 100%), halved between latency and 5xx;
- a canary phase (Cloud Deploy): the phase is one of the contract's judged steps, and its
  share is spent over the phase's time, so that the verify job and any number of analysis
  runs spend at most that share.

A phase's runs cannot know when the others end, only when the phase began (the service's
updateTime) and when they begin themselves. They run one after the other (the analysis after the
verify job, each analysis run after the last), and a run that does not pass ends the rollout;
one that passes took at least its minimum bake (``min(min_bake_seconds, bake_seconds)``: no
pass comes sooner). So the runs that follow one another begin at least a minimum bake apart,
and a run that begins ``t`` seconds into the phase is charged the phase's spending over its
first minimum bake, ``[t, t + min bake]``: those stretches never overlap, so all the runs
together never spend more than the phase's share.
"""

from __future__ import annotations

from collections.abc import Collection

from ..model.contract import CompareRules
from ..model.judge import ErrorBudget
from ..model.rollout import RolloutRules
from .figures import percent


def sent_kinds(rules: CompareRules, left_out: Collection[tuple[str, str]]) -> list[str]:
    """The request kinds a paired load sends: the mix's, but those left out (a mutating one
    without a test session): the kinds that share the comparison's budget."""
    out = {name for name, _ in left_out}
    return [kind.name for kind in rules.requests if kind.name not in out]


def comparison_budget(rules: CompareRules, kinds: Collection[str]) -> ErrorBudget:
    """Each test's share of the comparison's false-alarm rate: one per request kind sent, and
    one for the errors (each a union-bound share, so that all of them together, over every
    look, fail a candidate as good as the baseline at most 1 - confidence of the time)."""
    total = 1 - rules.confidence
    tests = len(kinds) + 1
    kinds_text = f"{len(kinds)} request kind{'s' if len(kinds) != 1 else ''}"
    return ErrorBudget(total / tests, total, f"one of {tests} tests: {kinds_text} and the errors")


def rollout_budget(rules: RolloutRules, steps: tuple[int, ...]) -> ErrorBudget:
    """A judged step's share of the rollout's false-alarm rate (every step below 100% is
    judged; the looks and holds of a step share its share)."""
    judged = max(1, sum(1 for step in steps if step < 100))
    total = 1 - rules.confidence
    why = f"one of {judged} judged steps" if judged > 1 else "the one judged step"
    return ErrorBudget(total / judged, total, why)


def spent_by(seconds: float, scale: float) -> float:
    """How much of a phase's budget is spent by its first ``seconds``: t / (t + scale), which
    reaches the whole budget only as time goes on, so that any number of runs judging
    windows that do not overlap spends at most the phase's budget."""
    return seconds / (seconds + scale) if seconds > 0 else 0.0


def phase_budget(rules: RolloutRules, share: int, since: float) -> ErrorBudget | str:
    """The budget of one judgement of a canary phase at ``share`` that begins ``since`` seconds
    after the phase's split took effect: the phase's share of the rollout's budget (one of
    the contract's judged steps, which must list the pipeline's percentages), spent by
    ``spent_by`` over the run's first minimum bake; or why there is none."""
    if share not in rules.steps:
        listed = ", ".join(str(step) for step in rules.steps)
        return (
            f"the phase serves the candidate {share}%, which is not among rollout.steps "
            f"({listed}): the error budget is shared by the steps the contract lists. List the "
            f"pipeline's canary percentages there (Cloud Deploy's canaryDeployment.percentages, "
            "then 100)"
        )
    phase = rollout_budget(rules, rules.steps)
    start = max(0.0, since)
    end = start + min(rules.min_bake_seconds, rules.bake_seconds)
    spent = spent_by(end, rules.bake_seconds) - spent_by(start, rules.bake_seconds)
    return ErrorBudget(
        phase.alpha * spent,
        phase.total,
        f"the phase's {percent(phase.alpha)}, {phase.why}, spent over its time: this "
        f"judgement covers its seconds {start:.0f} to {end:.0f}",
    )
