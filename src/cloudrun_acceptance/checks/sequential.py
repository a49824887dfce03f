"""The sequential judge of latency: tests by betting on the blocks' placements (``.blocks``),
so the data may be looked at as often as they come in.

A test of "mean placement at most 1/2" is a wealth that bets on the placements: each block
multiplies it by ``1 + l * (placement - 1/2)``; under the hypothesis its expectation never grows
(a nonnegative supermartingale), so by Ville's inequality it ever reaches ``1 / alpha`` with
probability at most ``alpha``, however many looks are taken and whenever the judge stops
(Shafer, "Testing by betting", JRSS A 2021; Waudby-Smith & Ramdas, "Estimating means of bounded
random variables by betting", JRSS B 2023). The wealth here is the average of fixed bets ``l``
in BETS (an average of such wealths is one too), so no bet depends on the data, and the wealth
does not depend on the order of the blocks. The candidate *fails* when the wealth against
"within the tolerance" reaches ``1/alpha``, and *passes* when the wealth against "beyond the
tolerance" (betting on ``1/2 - placement``) does; the ratios neither wealth has refuted are the
confidence sequence, the anytime-valid interval the report shows. Comparing a canary's
latencies by a time-uniform test, with the false-alarm rate held over every look, is what
Netflix does (Lindon, Sanden & Shirikian, "Rapid Regression Detection in Software Deployments
through Sequential Testing", KDD 2022; Howard & Ramdas, "Sequential estimation of quantiles
with applications to A/B-testing", Bernoulli 2022).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction

import numpy as np

from ..model.judge import Decision, ErrorBudget, LatencyEvidence
from .blocks import Blocks, placements

# The fixed bets whose wealths are averaged; each stakes at most 95% (a placement of 0 against
# the bet keeps 5% of the wealth).
BETS = np.array([0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 1.3, 1.6, 1.9])
# The ratio bounds of the reported interval are found to this resolution (0.01%).
RESOLUTION = 10**4


def log_wealth(excess: np.ndarray) -> np.ndarray:
    """The log of the averaged bets' wealth after each block, each block's ``excess`` being its
    placement minus 1/2 in the direction bet on (in [-1/2, 1/2])."""
    if not len(excess):
        return np.zeros(0)
    paths = np.cumsum(np.log1p(BETS[:, None] * excess[None, :]), axis=1)
    top = paths.max(axis=0)
    wealth: np.ndarray = top + np.log(np.exp(paths - top).mean(axis=0))
    return wealth


def _crossed(path: np.ndarray, at: int, alpha: float) -> bool:
    return at > 0 and bool(path[at - 1] >= math.log(1 / alpha))


def latency_decision(
    blocks: Blocks, limit: Fraction, alpha: float, looks: Sequence[int]
) -> tuple[Decision, int]:
    """The decision at the first of ``looks`` (block counts) at which a wealth reached
    ``1/alpha``, and that look's index (0-based); undecided at the last look otherwise. A
    failure wins a look where both reached it."""
    if not looks:
        return "undecided", -1
    slower = log_wealth(placements(blocks, limit) - 0.5)
    within = log_wealth(0.5 - placements(blocks, limit))
    for index, at in enumerate(looks):
        if _crossed(slower, at, alpha):
            return "failed", index
        if _crossed(within, at, alpha):
            return "passed", index
    return "undecided", len(looks) - 1


def _ratios(blocks: Blocks) -> tuple[int, int]:
    """The extreme ratios of the data, in 1/RESOLUTION steps, with a step of margin."""
    smallest = max(int(blocks.candidate.min()), 1) / max(int(blocks.baseline.max()), 1)
    largest = max(int(blocks.candidate.max()), 1) / max(int(blocks.baseline.min()), 1)
    return max(math.floor(smallest * RESOLUTION) - 1, 1), math.ceil(largest * RESOLUTION) + 1


def _switch(holds: Callable[[int], bool], low: int, high: int) -> int:
    """The smallest ratio in (low, high] at which the monotone ``holds`` differs from its value
    at ``low`` (``high`` when it never does): bisection."""
    first = holds(low)
    if holds(high) == first:
        return high
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if holds(middle) == first else (low, middle)
    return high


def _wealth_at(blocks: Blocks, ratio: int, *, slower: bool) -> float:
    limit = Fraction(ratio, RESOLUTION)
    if slower:
        return float(log_wealth(placements(blocks, limit) - 0.5)[-1])
    return float(log_wealth(0.5 - placements(blocks, limit))[-1])


def ratio_interval(blocks: Blocks, alpha: float) -> tuple[float | None, float | None]:
    """The confidence sequence at the blocks' end, as ratios: from the smallest ratio the
    "slower" wealth has not refuted to the smallest the "within" wealth has refuted (None where
    no ratio is refuted yet: unbounded)."""
    threshold = math.log(1 / alpha)
    low, high = _ratios(blocks)

    def slower(ratio: int) -> bool:
        return _wealth_at(blocks, ratio, slower=True) >= threshold

    def within(ratio: int) -> bool:
        return _wealth_at(blocks, ratio, slower=False) >= threshold

    bottom = _switch(slower, low, high) / RESOLUTION if slower(low) else None
    top = _switch(within, low, high) / RESOLUTION if within(high) else None
    return bottom, top


def ratio_estimate(blocks: Blocks) -> float | None:
    """The ratio the candidate exceeds in half of the pairs (mean placement 1/2): the
    Hodges-Lehmann shift of the log latencies, as a ratio, from the blocks' pairs."""
    if not blocks.count:
        return None

    def above(ratio: int) -> bool:
        shares = placements(blocks, Fraction(ratio, RESOLUTION))
        return bool(shares.mean() > 0.5)

    return _switch(above, *_ratios(blocks)) / RESOLUTION


def judge_latency_blocks(
    blocks: Blocks,
    limit: Fraction,
    budget: ErrorBudget,
    looks: Sequence[int],
    *,
    skipped: int = 0,
    interval: bool = True,
) -> LatencyEvidence:
    """The latency evidence at the deciding look (or the last): decision, estimate and, with
    ``interval``, the confidence sequence at that look."""
    decision, index = latency_decision(blocks, limit, budget.alpha, looks)
    at = looks[index] if looks else 0
    seen = blocks.first(at)
    estimate = low = high = None
    if interval and seen.count:
        estimate = ratio_estimate(seen)
        low, high = ratio_interval(seen, budget.alpha)
    return LatencyEvidence(
        decision=decision,
        limit=float(limit),
        estimate=estimate,
        low=low,
        high=high,
        candidate=len(seen.candidate),
        baseline=len(seen.baseline),
        blocks=seen.count,
        look=index + 1,
        looks=len(looks),
        budget=budget,
        skipped_blocks=skipped,
    )
