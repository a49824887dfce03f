"""The candidate against the stable revision it replaces, under one paired load: latency per
request kind, and errors; with the two revisions' metric families and configuration (``.drift``).

The statistics (``.stats``: scipy, numpy) are imported by the two judgements that need them, so
importing this module costs nothing.
"""

from __future__ import annotations

from collections import Counter

from ..model.compare import (
    HISTOGRAM_PREFIX,
    SIDES,
    Endpoint,
    ErrorCounts,
    LatencyComparison,
    PairedLoad,
    Percentiles,
    Sample,
)
from ..model.contract import CompareRules
from ..model.verdict import Verdict, failed, inconclusive, passed
from .drift import diff_config, judge_exposition
from .figures import ms, percent

__all__ = ["compare_latency", "diff_config", "judge_errors", "judge_exposition", "judge_latency"]

MAX_LISTED = 10


def compare_latency(kind: str, load: PairedLoad, rules: CompareRules) -> LatencyComparison:
    """One kind's latency on both sides; the shift only when each side has ``min_samples``
    answers below 500."""
    from .stats import hodges_lehmann, percentiles

    baseline, candidate = (load.latencies(side, kind) for side in SIDES)
    before, after = percentiles(baseline), percentiles(candidate)
    enough = min(len(baseline), len(candidate)) >= rules.min_samples
    shift = hodges_lehmann(baseline, candidate, rules.confidence) if enough else None
    allowed = rules.tolerance * before.p50 if before.p50 is not None else None
    return LatencyComparison(kind, before, after, shift, rules.tolerance, allowed)


HISTOGRAM_BINS = 12
# The figures the report draws its chart from (model/compare.py's HISTOGRAM_PREFIX).
HISTOGRAM_KEYS = tuple(f"{HISTOGRAM_PREFIX}{part}" for part in ("bins (ms)", *SIDES))


def histogram(load: PairedLoad, kind: str) -> dict[str, str]:
    """Both sides' answers counted in the same bins (equal widths from the fastest answer to
    the slower p95 of the two; the last bin takes the tail beyond), as figures: the upper edges
    in ms, and each side's counts, space-separated."""
    sides = [sorted(load.latencies(side, kind)) for side in SIDES]
    every = sorted(sides[0] + sides[1])
    if not every:
        return {}
    low = every[0]
    high = max(side[int(0.95 * (len(side) - 1))] for side in sides if side)
    width = (high - low) / HISTOGRAM_BINS or 1e-6
    edges = [low + width * (i + 1) for i in range(HISTOGRAM_BINS)]
    counts = []
    for side in sides:
        row = [0] * HISTOGRAM_BINS
        for value in side:
            row[min(HISTOGRAM_BINS - 1, int((value - low) / width))] += 1
        counts.append(" ".join(map(str, row)))
    bins = " ".join(ms(edge) for edge in edges)
    return dict(zip(HISTOGRAM_KEYS, (bins, *counts), strict=True))


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
    if (shift := comparison.shift) is not None:
        figures["shift (ms)"] = ms(shift.estimate, "+")
        figures["shift interval (ms)"] = f"{ms(shift.low, '+')} to {ms(shift.high, '+')}"
        figures["Mann-Whitney U"] = f"{shift.u_statistic:g}"
        figures["p-value"] = f"{shift.p_value:.3g}"
    if comparison.ratio is not None:
        figures["median ratio"] = f"{comparison.ratio:.3f}"
    allowed = ms(comparison.allowed_seconds)
    figures["tolerance"] = f"{percent(comparison.tolerance)} ({allowed} ms)"
    figures["confidence"] = f"{rules.confidence:g}"
    return figures


def _pace(comparison: LatencyComparison) -> str:
    """'41% slower than', '3% faster than', 'as fast as' (the ratio of the medians)."""
    ratio = comparison.ratio
    if change := round(100 * (ratio - 1)) if ratio is not None else 0:
        return f"{abs(change)}% {'slower' if change > 0 else 'faster'} than"
    return "as fast as"


def _deadline_note(load: PairedLoad) -> list[str]:
    note = f"the load stopped at its {load.deadline_seconds:g} s deadline after {len(load.samples)}"
    return [f"{note} of the {load.planned} planned exchanges"] if load.stopped_at_deadline else []


def judge_latency(comparison: LatencyComparison, rules: CompareRules, load: PairedLoad) -> Verdict:
    """Failed when the shift's interval lies above the tolerance (slower, with the contract's
    confidence); passed when it lies at or below it; inconclusive when it straddles it, or when
    a side has fewer than ``min_samples`` answers."""
    kind, shift, allowed = comparison.kind, comparison.shift, comparison.allowed_seconds
    before, after = comparison.baseline, comparison.candidate
    figures = _latency_figures(comparison, rules) | statuses(load, kind) | histogram(load, kind)
    evidence = [
        _side("baseline ", load.baseline, before),
        _side("candidate", load.candidate, after),
    ]
    if shift is None or allowed is None:
        summary, more, advice = _too_few(comparison, rules, load)
        return inconclusive(summary, evidence=evidence + more, advice=advice, figures=figures)
    evidence.append(f"Mann-Whitney U = {shift.u_statistic:g}, two-sided p = {shift.p_value:.3g}")
    low, high = ms(shift.low, "+"), ms(shift.high, "+")
    interval = f"{percent(shift.confidence)} interval {low} to {high} ms"
    medians = f"median {ms(after.p50)} ms vs {ms(before.p50)} ms"
    tolerance = f"the {percent(rules.tolerance)} tolerance of {ms(allowed)} ms"
    seen = f"{kind}: the candidate is {_pace(comparison)} the baseline ({medians}; shift "
    seen += f"{ms(shift.estimate, '+')} ms, {interval}"
    decided = shift.against(allowed)
    if decided == "failed":
        return failed(
            f"{seen}, beyond {tolerance})",
            evidence=evidence,
            advice=f"{load.candidate.revision} answers {kind} slower than the revision it "
            f"replaces, {load.baseline.revision}: look at what changed on this request's path "
            "(the configuration diff lists CPU, memory, concurrency and env changes). If the "
            "slowdown is meant, raise compare.tolerance in the contract (now "
            f"{rules.tolerance:g}).",
            figures=figures,
        )
    if decided == "passed":
        return passed(f"{seen}, within {tolerance})", evidence=evidence, figures=figures)
    return inconclusive(
        f"{kind}: cannot tell whether the candidate is within {tolerance}: the {interval} of the "
        f"shift straddles it ({medians}; shift {ms(shift.estimate, '+')} ms)",
        evidence=evidence,
        advice="more exchanges narrow the interval (about as 1/sqrt(count): 4x the count halves "
        f"it): raise compare.count (now {rules.count}), and compare.deadline_seconds (now "
        f"{rules.deadline_seconds:g} s) with it so the load still fits.",
        figures=figures,
    )


def _side(label: str, endpoint: Endpoint, p: Percentiles) -> str:
    shown = f"n={p.n}, p50 {ms(p.p50)} ms, p95 {ms(p.p95)} ms, p99 {ms(p.p99)} ms"
    return f"{label} {endpoint.revision}: {shown}"


def _too_few(
    comparison: LatencyComparison, rules: CompareRules, load: PairedLoad
) -> tuple[str, list[str], str]:
    """The summary, evidence and advice of too few answers on a side."""
    kind = comparison.kind
    sent = {side: len(load.of(side, kind)) for side in SIDES}
    answers = {"baseline": comparison.baseline.n, "candidate": comparison.candidate.n}
    counted = (f"{side} {answers[side]} of {sent[side]}" for side in SIDES)
    evidence = [f"answers below 500 of those sent: {', '.join(counted)}", *_deadline_note(load)]
    advice = []
    if load.stopped_at_deadline:
        advice.append(
            "the revisions answered too slowly for the load to finish: raise "
            f"compare.deadline_seconds (now {rules.deadline_seconds:g} s)"
        )
    elif min(sent.values()) < rules.min_samples:
        advice.append(
            "this request's share of compare.count is too small: raise compare.count (now "
            f"{rules.count}) or this request's weight"
        )
    if any(answers[side] < min(sent[side], rules.min_samples) for side in SIDES):
        advice.append(
            "check why the answers did not come: the errors comparison lists the exchanges that "
            "failed (5xx, refused or cut)"
        )
    summary = (
        f"{kind}: too few answers to compare: {comparison.candidate.n} from the candidate and "
        f"{comparison.baseline.n} from the baseline, {rules.min_samples} needed from each"
    )
    return summary, evidence, "; ".join(advice) + "."


def _exchange(sample: Sample) -> str:
    outcome = str(sample.status) if sample.status is not None else "no answer"
    if sample.status is None and sample.error:
        outcome += f" ({sample.error})"
    return f"  {sample.kind}: {sample.method} {sample.url} -> {outcome}"


def judge_errors(load: PairedLoad, confidence: float) -> Verdict:
    """The candidate does not fail (5xx, refused, cut) more often than the baseline, by a
    one-sided exact test at ``confidence``."""
    counts = {
        side: ErrorCounts(sum(s.failed for s in load.of(side)), len(load.of(side)))
        for side in SIDES
    }
    before, after = counts["baseline"], counts["candidate"]
    figures = {
        f"{side} failed": f"{n.failed}/{n.sent} ({percent(n.rate)})" for side, n in counts.items()
    }
    if empty := [side for side in SIDES if not counts[side].sent]:
        return inconclusive(
            f"no exchange was made with the {' or the '.join(empty)}: the error rates cannot be "
            "compared",
            evidence=_deadline_note(load),
            advice="the paired load sent nothing to that side: read the comparison's set-up (the "
            f"endpoints found), and raise compare.deadline_seconds (now {load.deadline_seconds:g} "
            "s) if the load ran out of time.",
            figures=figures,
        )
    from .stats import errors_test

    p_value = errors_test(after, before)
    figures |= {"p-value": f"{p_value:.3g}", "confidence": f"{confidence:g}"}
    if not after.failed and not before.failed:
        return passed(
            f"neither revision failed an exchange ({after.sent} to the candidate, {before.sent} "
            "to the baseline)",
            figures=figures,
        )
    # Alike failures once, with their count: 40 identical 503s are one line, not the only ten.
    alike = Counter(_exchange(sample) for sample in load.of("candidate") if sample.failed)
    listing = [line + (f" (x{n})" if n > 1 else "") for line, n in alike.most_common(MAX_LISTED)]
    if rest := sum(n for _, n in alike.most_common()[MAX_LISTED:]):
        listing.append(f"  ... and {rest} more")
    seen = (
        f"the candidate failed {after.failed} of {after.sent} exchanges ({percent(after.rate)}), "
        f"the baseline {before.failed} of {before.sent} ({percent(before.rate)})"
    )
    if p_value < 1 - confidence:
        return failed(
            f"{seen}: the candidate fails more often (one-sided exact test, p = {p_value:.2g}, "
            f"below {1 - confidence:.2g})",
            evidence=["the candidate's failed exchanges (5xx, refused or cut):", *listing],
            advice="read the candidate's logs for those requests: the filter "
            f'resource.labels.revision_name="{load.candidate.revision}" AND '
            "httpRequest.status>=500 lists its 5xx; an exchange with no answer shows as a crash, "
            "an out-of-memory kill or a restart around its time. Find the cause before promoting.",
            figures=figures,
        )
    return passed(
        f"{seen}: not more often at {percent(confidence)} confidence (p = {p_value:.2g})",
        evidence=["the candidate's failed exchanges:", *listing] if listing else [],
        figures=figures,
    )
