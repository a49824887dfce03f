"""The sequential judge of errors, as counts: the candidate's failures against the baseline's.

Each failed request (5xx, refused, cut) is the candidate's with probability ``pi``, the
candidate's share of all requests, when it fails no more often than the baseline, however the
failure rate varies over time. The e-value is the Beta(1, 1) mixture of the likelihood ratios
for ``p >= pi`` against ``pi`` (Lindon & Malek, "Anytime-Valid Inference For Multinomial Count
Data", NeurIPS 2022, test time-inhomogeneous Poisson counts this way): it needs the two failure
counts only, and holds over every look. The errors *pass* before the data end when the
candidate's rate is shown to exceed the baseline's by at most the error tolerance: one-sided
Beta mixture bounds on each rate (Robbins' method of mixtures), at half the budget each.
"""

from __future__ import annotations

import math

from scipy.special import betainc, betaincc, betaln

from ..model.compare import ErrorCounts
from ..model.judge import Decision, ErrorBudget, ErrorEvidence


def errors_e_value(
    candidate_failed: int, candidate_total: int, baseline_failed: int, baseline_total: int
) -> float:
    """The e-value against "the candidate fails no more often than the baseline": each failure
    is the candidate's with probability ``pi`` (its share of the requests) under that
    hypothesis; the Beta(1, 1) mixture over ``p >= pi`` of the likelihood ratios."""
    total = candidate_total + baseline_total
    a, b = candidate_failed, baseline_failed
    if not total or not a + b or not candidate_total or not baseline_total:
        return 1.0
    pi = candidate_total / total
    upper = float(betaincc(a + 1, b + 1, pi))
    if upper <= 0:
        return math.inf
    log_e = (
        float(betaln(a + 1, b + 1))
        + math.log(upper)
        - math.log1p(-pi)
        - a * math.log(pi)
        - b * math.log1p(-pi)
    )
    return math.exp(min(log_e, 700.0))


def _rate_log_e(failed: int, total: int, rate: float, *, below: bool) -> float:
    """The log e-value against a failure rate of ``rate`` from the side of ``below`` (the true
    rate is lower) or above: a Beta(1, 1) mixture over that side's rates."""
    if rate <= 0 or rate >= 1:
        return math.inf
    a, b = failed + 1, total - failed + 1
    mass = float(betainc(a, b, rate)) if below else float(betaincc(a, b, rate))
    side = rate if below else 1 - rate
    if mass <= 0:
        return -math.inf
    return (
        float(betaln(a, b))
        + math.log(mass)
        - math.log(side)
        - failed * math.log(rate)
        - (total - failed) * math.log1p(-rate)
    )


def rate_bound(failed: int, total: int, alpha: float, *, upper: bool) -> float:
    """A one-sided confidence sequence's end for one side's failure rate: the largest rate not
    refuted from below (``upper``), or the smallest not refuted from above."""
    if not total:
        return 1.0 if upper else 0.0
    threshold = math.log(1 / alpha)
    observed = failed / total
    low, high = (observed, 1.0) if upper else (0.0, observed)
    for _ in range(60):
        middle = (low + high) / 2
        refuted = _rate_log_e(failed, total, middle, below=upper) >= threshold
        if upper:
            low, high = (low, middle) if refuted else (middle, high)
        else:
            low, high = (middle, high) if refuted else (low, middle)
    return high if upper else low


def judge_errors_counts(
    candidate: ErrorCounts, baseline: ErrorCounts, tolerance: float, budget: ErrorBudget
) -> ErrorEvidence:
    """Failed when the e-value reaches ``1/alpha``; passed when the candidate's rate is shown
    to exceed the baseline's by at most ``tolerance`` (each bound at ``alpha/2``); undecided
    otherwise."""
    e_value = errors_e_value(candidate.failed, candidate.sent, baseline.failed, baseline.sent)
    excess = None
    decision: Decision = "undecided"
    if e_value >= 1 / budget.alpha:
        decision = "failed"
    elif candidate.sent and baseline.sent:
        high = rate_bound(candidate.failed, candidate.sent, budget.alpha / 2, upper=True)
        low = rate_bound(baseline.failed, baseline.sent, budget.alpha / 2, upper=False)
        excess = high - low
        if excess <= tolerance:
            decision = "passed"
    return ErrorEvidence(
        decision=decision,
        candidate_failed=candidate.failed,
        candidate_total=candidate.sent,
        baseline_failed=baseline.failed,
        baseline_total=baseline.sent,
        e_value=e_value,
        excess_bound=excess,
        tolerance=tolerance,
        budget=budget,
    )
