"""A rollout step judged on the users' requests of its window, look by look: the candidate's
5xx against the stable revision's (``.counts``), and its latency as a ratio against the
tolerance (``.blocks``, ``.sequential``), each an anytime-valid test, so the step ends as soon
as the evidence decides; and the traffic of a step and of the rollback. The error budget is
``.budget``'s, what a rollout can expect of its traffic ``.plan``'s.

The statistics (``.sequential``, ``.stats``: scipy, numpy) are imported by the judgements only.
"""

from __future__ import annotations

from dataclasses import replace

from ..model.compare import ErrorCounts
from ..model.judge import ErrorBudget, ErrorEvidence, LatencyEvidence
from ..model.rollout import RolloutRules, StepWindow
from ..model.service import ServiceFacts, TrafficRow
from ..model.verdict import Verdict, failed, inconclusive, passed
from .budget import rollout_budget
from .figures import budget_text, change, error_figures, evidence_figures, interval, ms, percent
from .release import promoted, tags_kept
from .stepwindow import error_rate, read_notes, step_figures


def stable_of(facts: ServiceFacts) -> tuple[str, str]:
    """The stable revision a rollout moves traffic from: the one revision other than the
    candidate serving traffic; else ("", why there is none)."""
    candidate = facts.revision.name
    serving = sorted({row.revision for row in facts.traffic if row.percent} - {candidate})
    if len(serving) == 1:
        return serving[0], ""
    if not serving:
        return "", f"no revision but {candidate} serves traffic: there is nothing to roll out from"
    return "", (
        f"the traffic is split between {', '.join(serving)}: a rollout moves it from one "
        "stable revision"
    )


def step_traffic(facts: ServiceFacts, share: int) -> tuple[TrafficRow, ...]:
    """The traffic of a step: ``share`` to the candidate, the rest to the stable revision, every
    tag kept."""
    return promoted(facts, share)


def back_to_stable(facts: ServiceFacts, stable: str) -> tuple[TrafficRow, ...]:
    """All traffic to the stable revision, every tag kept."""
    return (TrafficRow(stable, 100), *tags_kept(facts))


def too_few(window: StepWindow, rules: RolloutRules) -> bool:
    """Either revision answered fewer than ``min_requests`` users' requests in the window."""
    return min(window.candidate.requests, window.stable.requests) < rules.min_requests


def step_latency(
    window: StepWindow, rules: RolloutRules, budget: ErrorBudget, *, interval: bool
) -> LatencyEvidence | None:
    """The latency evidence of the window's blocks after the candidate's warm-up (None without
    a block: no latency in the logs, or too few requests for one)."""
    from .blocks import limit_of, micros, time_blocks, warmed_up
    from .sequential import judge_latency_blocks

    times_c, latencies_c = window.candidate.answered()
    times_s, latencies_s = window.stable.answered()
    blocks = time_blocks(times_c, micros(latencies_c), times_s, micros(latencies_s))
    limit = limit_of(rules.tolerance)
    skip = warmed_up(blocks, limit, rules.warmup_seconds)
    judged = blocks.after(skip)
    if not judged.count:
        return None
    return judge_latency_blocks(
        judged, limit, budget, [judged.count], skipped=skip, interval=interval
    )


def step_errors(window: StepWindow, rules: RolloutRules, budget: ErrorBudget) -> ErrorEvidence:
    """The 5xx evidence of the window: the candidate's against the stable revision's."""
    from .counts import judge_errors_counts

    candidate, stable = window.candidate, window.stable
    return judge_errors_counts(
        ErrorCounts(candidate.errors, candidate.requests),
        ErrorCounts(stable.errors, stable.requests),
        rules.error_tolerance,
        budget,
    )


def judge_step(
    window: StepWindow,
    rules: RolloutRules,
    budget: ErrorBudget | None = None,
    *,
    last: bool = True,
) -> Verdict | None:
    """The step's verdict at this look, or None while it must go on: failed at once on more
    5xx or a slowdown beyond the tolerance; passed as soon as both are shown within their
    tolerances, once ``min_bake_seconds`` and ``min_requests`` are reached; at the ``last``
    look (the bake's end) passed when the latency is within the tolerance and the 5xx not shown
    higher (nor seen higher than ``error_tolerance`` allows), inconclusive otherwise (too few
    requests, a 5xx rate seen higher but not decided, or an interval that straddles it)."""
    budget = budget or rollout_budget(rules, rules.steps)
    half = budget.split(2, f"{budget.why}, halved between latency and 5xx")
    where = f"at {window.share}% over {window.seconds:.0f} s (look {window.looks})"
    candidate, stable = window.candidate, window.stable
    counts = (
        f"{candidate.revision} answered {candidate.requests} users' requests, "
        f"{stable.revision} {stable.requests}"
    )
    errors = step_errors(window, rules, half)
    latency = step_latency(window, rules, half, interval=False)
    few = too_few(window, rules)
    baked = window.seconds >= min(rules.min_bake_seconds, rules.bake_seconds)
    ending = (
        errors.decision == "failed"
        or (latency is not None and latency.decision == "failed")
        or last
        or (
            not few
            and baked
            and errors.decision == "passed"
            and latency is not None
            and latency.decision == "passed"
        )
    )
    if not ending:
        return None
    if latency is not None:  # the interval, for the verdict's words and the report
        latency = step_latency(window, rules, half, interval=True)
    figures = step_figures(window) | error_figures(errors)
    figures["ended"] = "at the bake's end" if last else "early, as the evidence decided"
    if latency is not None:
        latency = replace(latency, look=window.looks, looks=window.looks)
        figures |= evidence_figures(latency, of="of the candidate's requests")
    if errors.decision == "failed":
        return failed(
            f"the candidate failed more of the users' requests {where}: {candidate.errors} of "
            f"{candidate.requests} 5xx ({error_rate(candidate)}) against the stable revision's "
            f"{stable.errors} of {stable.requests} ({error_rate(stable)}); anytime-valid p = "
            f"{errors.p_value:.2g}, below its {percent(half.alpha)} share of the "
            "error budget",
            advice=f"read the candidate's 5xx in Cloud Logging (resource.labels.revision_name="
            f'"{candidate.revision}" httpRequest.status>=500), fix and deploy again',
            figures=figures,
            evidence=(f"error budget: {budget_text(half)}", *read_notes(window)),
        )
    medians = _medians(window, latency, rules)
    if latency is not None and latency.decision == "failed":
        return failed(
            f"the candidate answered the users' requests slower {where}: {medians}",
            advice="profile the candidate under the users' mix (its own checks at 0% did not "
            "see it), fix and deploy again; if the slowdown is meant, raise rollout.tolerance "
            f"(now {rules.tolerance:g})",
            figures=figures,
            evidence=(f"error budget: {budget_text(half)}", *read_notes(window)),
        )
    if few:
        return inconclusive(
            f"too few users' requests {where} to judge the step: {counts} (at least "
            f"{rules.min_requests} each, rollout.min_requests)",
            advice="bake longer (rollout.bake_seconds), or lower rollout.min_requests for a "
            "service with little traffic",
            figures=figures,
            evidence=read_notes(window),
        )
    errors_said = f"5xx {error_rate(candidate)} against {error_rate(stable)}" + (
        f" (at most {percent(errors.excess_bound or 0)} higher, within the "
        f"{percent(rules.error_tolerance)} tolerance)"
        if errors.decision == "passed"
        else " (not shown higher)"
    )
    if errors.seen_beyond:
        return inconclusive(
            f"the candidate may fail more of the users' requests {where}: 5xx "
            f"{error_rate(candidate)} against {error_rate(stable)}, more than the "
            f"{percent(rules.error_tolerance)} tolerance above it, but not decided "
            f"(anytime-valid p = {errors.p_value:.2g})",
            advice="bake longer (rollout.bake_seconds) for the evidence to decide, and read the "
            "candidate's 5xx in Cloud Logging (resource.labels.revision_name="
            f'"{candidate.revision}" httpRequest.status>=500)',
            figures=figures,
            evidence=read_notes(window),
        )
    if latency is None:
        return passed(
            f"{counts} {where}: {errors_said}; no latency in the logs to compare",
            figures=figures,
            evidence=read_notes(window),
        )
    if latency.decision == "undecided":
        return inconclusive(
            f"the candidate's latency {where} may be beyond the tolerance: {medians}",
            advice="bake longer (rollout.bake_seconds) for a narrower interval",
            figures=figures,
            evidence=read_notes(window),
        )
    early = "" if last else f", before its {rules.bake_seconds:g} s bake ended"
    return passed(
        f"{counts} {where}{early}: {errors_said}; {medians}",
        figures=figures,
        evidence=(
            f"error budget: {budget_text(half)}",
            *(
                [f"the candidate's first {latency.skipped_blocks} blocks were its warm-up"]
                if latency.skipped_blocks
                else []
            ),
            *read_notes(window),
        ),
    )


def _medians(window: StepWindow, latency: LatencyEvidence | None, rules: RolloutRules) -> str:
    from .stats import percentiles

    after = percentiles(window.candidate.answered()[1])
    before = percentiles(window.stable.answered()[1])
    said = f"median {ms(after.p50)} ms against the stable revision's {ms(before.p50)} ms"
    if latency is None:
        return said
    return (
        f"{said}; latency {change(latency.estimate)} (anytime interval "
        f"{interval(latency.low, latency.high)}), tolerance {percent(rules.tolerance)} slower"
    )
