"""The errors comparison of the paired load: the candidate's failed exchanges (5xx, refused,
cut) against the baseline's, judged by the counts' sequential test (``.counts``), with the
candidate's failures listed for the operator."""

from __future__ import annotations

from collections import Counter

from ..model.compare import SIDES, ErrorCounts, PairedLoad, Sample
from ..model.contract import CompareRules
from ..model.judge import ErrorBudget, ErrorEvidence
from ..model.verdict import Verdict, failed, inconclusive, passed
from .budget import comparison_budget, sent_kinds
from .figures import budget_text, error_figures, percent

MAX_LISTED = 10


def error_counts(load: PairedLoad) -> dict[str, ErrorCounts]:
    """Each side's failed exchanges (5xx, refused, cut) and exchanges sent."""
    return {
        side: ErrorCounts(sum(s.failed for s in load.of(side)), len(load.of(side)))
        for side in SIDES
    }


def compare_errors(load: PairedLoad, rules: CompareRules, budget: ErrorBudget) -> ErrorEvidence:
    """The errors' evidence: the candidate's failures against the baseline's."""
    from .counts import judge_errors_counts

    counts = error_counts(load)
    return judge_errors_counts(
        counts["candidate"], counts["baseline"], rules.error_tolerance, budget
    )


def deadline_note(load: PairedLoad) -> list[str]:
    """A line saying the load's deadline ended it, when it did."""
    note = f"the load stopped at its {load.deadline_seconds:g} s deadline after {len(load.samples)}"
    return (
        [f"{note} exchanges, with a request kind still undecided"]
        if load.stopped_at_deadline
        else []
    )


def _exchange(sample: Sample) -> str:
    outcome = str(sample.status) if sample.status is not None else "no answer"
    if sample.status is None and sample.error:
        outcome += f" ({sample.error})"
    return f"  {sample.kind}: {sample.method} {sample.url} -> {outcome}"


def judge_errors(
    *, load: PairedLoad, rules: CompareRules, budget: ErrorBudget | None = None
) -> Verdict:
    """The candidate does not fail (5xx, refused, cut) more often than the baseline: failed
    when the anytime-valid test says it does, at its share of the budget; passed when its
    failure rate is shown within ``error_tolerance`` of the baseline's, or, when the load
    ended undecided, when its rate as seen is within that tolerance; inconclusive otherwise."""
    counts = error_counts(load)
    before, after = counts["baseline"], counts["candidate"]
    figures = {
        f"{side} failed": f"{n.failed}/{n.sent} ({percent(n.rate)})" for side, n in counts.items()
    }
    if empty := [side for side in SIDES if not counts[side].sent]:
        return inconclusive(
            f"no exchange was made with the {' or the '.join(empty)}: the error rates cannot be "
            "compared",
            evidence=deadline_note(load),
            advice="the paired load sent nothing to that side: read the comparison's set-up (the "
            f"endpoints found), and raise compare.deadline_seconds (now {load.deadline_seconds:g} "
            "s) if the load ran out of time.",
            figures=figures,
        )
    found = compare_errors(
        load, rules, budget or comparison_budget(rules, sent_kinds(rules, load.left_out))
    )
    figures |= error_figures(found)
    figures["confidence"] = f"{rules.confidence:g}"
    # Alike failures once, with their count: 40 identical 503s are one line, not the only ten.
    alike = Counter(_exchange(sample) for sample in load.of("candidate") if sample.failed)
    listing = [line + (f" (x{n})" if n > 1 else "") for line, n in alike.most_common(MAX_LISTED)]
    if rest := sum(n for _, n in alike.most_common()[MAX_LISTED:]):
        listing.append(f"  ... and {rest} more")
    seen = (
        f"the candidate failed {after.failed} of {after.sent} exchanges ({percent(after.rate)}), "
        f"the baseline {before.failed} of {before.sent} ({percent(before.rate)})"
    )
    budget_line = f"error budget: {budget_text(found.budget)}"
    if found.decision == "failed":
        return failed(
            f"{seen}: the candidate fails more often (anytime-valid p = {found.p_value:.2g}, "
            f"below its {percent(found.budget.alpha)} share of the error budget)",
            evidence=[
                "the candidate's failed exchanges (5xx, refused or cut):",
                *listing,
                budget_line,
            ],
            advice="read the candidate's logs for those requests: the filter "
            f'resource.labels.revision_name="{load.candidate.revision}" AND '
            "httpRequest.status>=500 lists its 5xx; an exchange with no answer shows as a crash, "
            "an out-of-memory kill or a restart around its time. Find the cause before promoting.",
            figures=figures,
        )
    if not after.failed and not before.failed and found.decision == "passed":
        return passed(
            f"neither revision failed an exchange ({after.sent} to the candidate, {before.sent} "
            f"to the baseline): the candidate's failure rate is at most "
            f"{percent(found.excess_bound or 0)} above the baseline's, within the "
            f"{percent(rules.error_tolerance)} tolerance",
            evidence=[budget_line],
            figures=figures,
        )
    if found.seen_beyond:
        return inconclusive(
            f"{seen}: more often, but not decided when the load ended (p = "
            f"{found.p_value:.2g}, against its {percent(found.budget.alpha)} share of "
            "the error budget)",
            evidence=["the candidate's failed exchanges:", *listing, budget_line],
            advice="more exchanges decide it: raise compare.max_count (now "
            f"{rules.max_count}) and compare.deadline_seconds (now {rules.deadline_seconds:g} s);"
            " and read the candidate's failed requests above",
            figures=figures,
        )
    if found.decision == "passed":
        outcome = (
            f"its failure rate is at most {percent(found.excess_bound or 0)} above the "
            f"baseline's, within the {percent(rules.error_tolerance)} tolerance"
        )
    else:
        outcome = (
            f"not shown to fail more often when the load ended (p = {found.p_value:.2g}; its "
            f"rate may be up to {percent(found.excess_bound or 1)} above the "
            "baseline's)"
        )
    return passed(
        f"{seen}: {outcome}",
        evidence=[
            *(["the candidate's failed exchanges:", *listing] if listing else []),
            budget_line,
        ],
        figures=figures,
    )
