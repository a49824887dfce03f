"""The candidate against the stable revision it replaces, under one paired load: latency per
request kind, and errors; with the two revisions' metric families and configuration (``.drift``).

The judge is sequential (``.sequential``: numpy, scipy, imported by the judgements that need
them, so importing this module costs nothing): the load's looks, all its request kinds and the
errors share the false-alarm rate the contract sets (``compare.confidence``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..model.compare import (
    SIDES,
    Endpoint,
    LatencyComparison,
    PairedLoad,
    Percentiles,
)
from ..model.contract import CompareRules
from ..model.judge import ErrorBudget, LatencyEvidence
from ..model.verdict import Verdict, failed, inconclusive, passed
from .budget import comparison_budget, sent_kinds
from .drift import diff_config, judge_exposition
from .failures import compare_errors, deadline_note, judge_errors
from .figures import budget_text, change, evidence_figures, interval, ms, percent
from .histogram import histogram

__all__ = [
    "compare_latency",
    "comparison_budget",
    "diff_config",
    "judge_errors",
    "judge_exposition",
    "judge_latency",
    "still_open",
]


def _looks(blocks: int, rules: CompareRules) -> list[int]:
    """The block counts the load looked at: after every block, once min_samples pairs came."""
    from .blocks import BLOCK

    return [count for count in range(1, blocks + 1) if count * BLOCK >= rules.min_samples]


def latency_evidence(
    kind: str, load: PairedLoad, rules: CompareRules, budget: ErrorBudget, *, interval: bool
) -> LatencyEvidence | None:
    """The judge's evidence on one kind once it has ``min_samples`` pairs (answered below 500
    on both sides): decided at the first look whose wealth reached its share of the budget;
    with ``interval``, the confidence sequence at that look too."""
    from .blocks import limit_of, micros, paired_blocks
    from .sequential import judge_latency_blocks

    pairs = load.pairs(kind)
    if len(pairs) < rules.min_samples:
        return None
    blocks = paired_blocks(micros([b for b, _ in pairs]), micros([c for _, c in pairs]))
    looks = _looks(blocks.count, rules)
    if not looks:
        return None
    return judge_latency_blocks(blocks, limit_of(rules.tolerance), budget, looks, interval=interval)


def compare_latency(
    *, kind: str, load: PairedLoad, rules: CompareRules, budget: ErrorBudget | None = None
) -> LatencyComparison:
    """One kind's latency on both sides, with the judge's evidence and its interval."""
    from .stats import percentiles

    budget = budget or comparison_budget(rules, sent_kinds(rules, load.left_out))
    pairs = load.pairs(kind)
    return LatencyComparison(
        kind,
        percentiles([b for b, _ in pairs]),
        percentiles([c for _, c in pairs]),
        latency_evidence(kind, load, rules, budget, interval=True),
        rules.tolerance,
        len(pairs),
    )


def still_open(load: PairedLoad, rules: CompareRules, kinds: Sequence[str]) -> set[str]:
    """The kinds the load must go on sending: those whose latency is undecided, and every kind
    while the errors are (the paired load's look)."""
    budget = comparison_budget(rules, kinds)
    errors = compare_errors(load, rules, budget)
    if errors.decision == "undecided":
        return set(kinds)
    return {
        kind
        for kind in kinds
        if (found := latency_evidence(kind, load, rules, budget, interval=False)) is None
        or found.decision == "undecided"
    }


def statuses(load: PairedLoad, kind: str) -> dict[str, str]:
    """Each side's answers to ``kind`` by status (``no answer`` for a refused or cut one), as
    figures: ``200 x299, 500 x1``."""
    figures = {}
    for side in SIDES:
        seen = Counter(
            str(s.status) if s.status is not None else "no answer" for s in load.of(side, kind)
        )
        figures[f"{side} statuses"] = ", ".join(f"{k} x{n}" for k, n in sorted(seen.items()))
    return figures


def _latency_figures(comparison: LatencyComparison, rules: CompareRules) -> dict[str, str]:
    figures: dict[str, str] = {}
    for side, p in zip(SIDES, (comparison.baseline, comparison.candidate), strict=True):
        figures[f"{side} n"] = str(p.n)
        for name, value in (("p50", p.p50), ("p95", p.p95), ("p99", p.p99)):
            figures[f"{side} {name} (ms)"] = ms(value)
    figures["pairs"] = str(comparison.pairs)
    if (found := comparison.evidence) is not None:
        figures |= evidence_figures(found)
    figures["tolerance"] = f"{percent(comparison.tolerance)} slower"
    figures["confidence"] = f"{rules.confidence:g}"
    return figures


def _pace(comparison: LatencyComparison) -> str:
    """'41% slower than', '3% faster than', 'as fast as' (the ratio of the medians)."""
    ratio = comparison.ratio
    if change := round(100 * (ratio - 1)) if ratio is not None else 0:
        return f"{abs(change)}% {'slower' if change > 0 else 'faster'} than"
    return "as fast as"


def judge_latency(
    *,
    comparison: LatencyComparison,
    rules: CompareRules,
    load: PairedLoad,
) -> Verdict:
    """Failed when the confidence sequence of the candidate's latency ratio lies above 1 +
    tolerance at a look; passed when it lies at or below it; inconclusive when the load ended
    (budget or deadline) with it straddling the tolerance, or with fewer than ``min_samples``
    pairs."""
    kind, found = comparison.kind, comparison.evidence
    before, after = comparison.baseline, comparison.candidate
    figures = _latency_figures(comparison, rules) | statuses(load, kind)
    figures |= histogram(load, kind, rules.tolerance)
    evidence = [
        _side("baseline ", load.baseline, before),
        _side("candidate", load.candidate, after),
    ]
    if found is None:
        summary, more, advice = _too_few(comparison, rules, load)
        return inconclusive(summary, evidence=evidence + more, advice=advice, figures=figures)
    from .blocks import BLOCK

    evidence.append(
        f"error budget: {budget_text(found.budget)}; decided by a look after each block of "
        f"{BLOCK} pairs"
    )
    tolerance = f"{percent(rules.tolerance)} tolerance"
    shift = change(found.estimate)
    bounds = interval(found.low, found.high)
    medians = f"median {ms(after.p50)} ms vs {ms(before.p50)} ms"
    seen = f"{shift} (anytime interval {bounds}) after {found.candidate} pairs; {medians}"
    if found.decision == "failed":
        return failed(
            f"{kind}: the candidate is slower than the baseline beyond the {tolerance}: {seen}",
            evidence=evidence,
            advice=f"{load.candidate.revision} answers {kind} slower than the revision it "
            f"replaces, {load.baseline.revision}: look at what changed on this request's path "
            "(the configuration diff lists CPU, memory, concurrency and env changes). If the "
            "slowdown is meant, raise compare.tolerance in the contract (now "
            f"{rules.tolerance:g}).",
            figures=figures,
        )
    if found.decision == "passed":
        return passed(
            f"{kind}: the candidate is within the {tolerance} of the baseline ({_pace(comparison)} "
            f"it at the median): {seen}",
            evidence=evidence,
            figures=figures,
        )
    why = (
        f"the load's {load.deadline_seconds:g} s deadline (compare.deadline_seconds)"
        if load.stopped_at_deadline
        else f"its budget of {comparison.pairs} pairs (compare.max_count)"
    )
    return inconclusive(
        f"{kind}: cannot tell whether the candidate is within the {tolerance}: its interval "
        f"straddles +{percent(rules.tolerance)} at the end of {why}: {seen}",
        evidence=evidence + deadline_note(load),
        advice="a noisier service needs more pairs (the interval narrows about as 1/sqrt(pairs):"
        f" 4x the pairs halve it): raise compare.max_count (now {rules.max_count}), and "
        f"compare.deadline_seconds (now {rules.deadline_seconds:g} s) with it so the load still "
        "fits.",
        figures=figures,
    )


def _side(label: str, endpoint: Endpoint, p: Percentiles) -> str:
    shown = f"n={p.n}, p50 {ms(p.p50)} ms, p95 {ms(p.p95)} ms, p99 {ms(p.p99)} ms"
    return f"{label} {endpoint.revision}: {shown}"


def _too_few(
    comparison: LatencyComparison, rules: CompareRules, load: PairedLoad
) -> tuple[str, list[str], str]:
    """The summary, evidence and advice of too few pairs to judge."""
    kind = comparison.kind
    sent = {side: len(load.of(side, kind)) for side in SIDES}
    answers = {
        side: sum(1 for s in load.of(side, kind) if s.status is not None and s.status < 500)
        for side in SIDES
    }
    counted = (f"{side} {answers[side]} of {sent[side]}" for side in SIDES)
    evidence = [f"answers below 500 of those sent: {', '.join(counted)}", *deadline_note(load)]
    advice = []
    budget = rules.budget_of(next((k.weight for k in rules.requests if k.name == kind), 1))
    if load.stopped_at_deadline:
        advice.append(
            "the revisions answered too slowly for the load to get far: raise "
            f"compare.deadline_seconds (now {rules.deadline_seconds:g} s)"
        )
    elif budget < rules.min_samples:
        advice.append(
            f"this request's budget ({budget} pairs) is below compare.min_samples: raise "
            f"compare.max_count (now {rules.max_count})"
        )
    if any(answers[side] < sent[side] for side in SIDES):
        advice.append(
            "check why the answers did not come: the errors comparison lists the exchanges that "
            "failed (5xx, refused or cut)"
        )
    summary = (
        f"{kind}: too few pairs to compare: {comparison.pairs} pairs answered below 500 by both "
        f"revisions, {rules.min_samples} needed (compare.min_samples)"
    )
    return summary, evidence, "; ".join(advice or ["send more: raise compare.max_count"]) + "."
