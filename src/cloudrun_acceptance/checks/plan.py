"""What a rollout can expect of the users' traffic, said before any traffic moves: how long
each step needs to decide, from the last ``bake_seconds`` of users' requests.

A step needs ``min_requests`` on each side, and enough of the candidate's requests for the
judge's latency test to show a candidate as good as the stable revision within the tolerance.
That many is estimated from the stable revision's own latencies: an identical candidate's
answers would be placed like a stable answer among the others, so the stable sample gives the
mean placement ``q`` an identical candidate would have (below 1/2 by the margin the tolerance
leaves), its variance per block, and so the wealth the judge's best bet gains per block
(about ``l * (1/2 - q) - l^2 * E[(1/2 - Y)^2] / 2``); the blocks needed are those that take it
to ``1/alpha``. A rough figure ("about"), on the scale that matters: minutes or hours.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from ..model.judge import ErrorBudget
from ..model.rollout import RolloutRules, StepWindow
from .blocks import WINDOW_BLOCK, limit_of, micros
from .sequential import BETS


def requests_to_decide(stable: np.ndarray, limit: Fraction, alpha: float, share: int) -> float:
    """About how many of the candidate's requests a step at ``share`` needs to pass a candidate
    like the stable revision, from the stable revision's latencies (whole microseconds); inf
    when such a candidate could not be shown within the tolerance (a latency too coarse)."""
    if len(stable) < 2 * WINDOW_BLOCK:
        return math.inf
    values = np.sort(np.asarray(stable, dtype=np.int64))
    # The share of stable answers each answer exceeds by more than the limit: its placement.
    bound = -(-(values * limit.denominator) // limit.numerator)
    placed = np.searchsorted(values, bound, side="left") / len(values)
    q = float(placed.mean())
    gap = 0.5 - q
    if gap <= 0:
        return math.inf
    partners = WINDOW_BLOCK * (100 - share) / share
    variance = float(placed.var()) / WINDOW_BLOCK + q * (1 - q) / (
        WINDOW_BLOCK * max(partners, 1.0)
    )
    growth = float(np.max(BETS * gap - BETS**2 * (variance + gap**2) / 2))
    if growth <= 0:
        return math.inf
    blocks = (math.log(1 / alpha) + math.log(len(BETS))) / growth
    return WINDOW_BLOCK * (math.ceil(blocks) + 1)  # and a block of warm-up


def traffic_plan(
    recent: StepWindow, rules: RolloutRules, steps: tuple[int, ...], budget: ErrorBudget
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The lines to say of the traffic of ``recent`` (the last ``bake_seconds`` of users'
    requests) and of each step, and the steps that cannot decide within their longest bake
    (``max_step_seconds``)."""
    count = recent.candidate.requests + recent.stable.requests
    span = recent.seconds
    over = f"over the last {span:.0f} s"
    if recent.capped:  # the read stopped at its cap, oldest first: the rate of what it read
        times = [t for t in (*recent.candidate.times, *recent.stable.times) if not math.isnan(t)]
        span = max(times, default=span)
        over = f"over the first {span:.0f} s of the last {recent.seconds:.0f} (a read's cap)"
    rate = count / max(span, 1e-9)
    latencies = micros([*recent.stable.answered()[1], *recent.candidate.answered()[1]])
    lines = [f"traffic before the rollout: {rate:.3g} users' requests/s {over}"]
    short = []
    alpha = budget.alpha / 2  # the latency's half of a step's share
    for step in steps:
        if step >= 100:
            continue
        candidate_rate = rate * step / 100
        smaller = rate * min(step, 100 - step) / 100
        needed = requests_to_decide(latencies, limit_of(rules.tolerance), alpha, step)
        seconds = max(
            rules.min_requests / smaller if smaller > 0 else math.inf,
            needed / candidate_rate if candidate_rate > 0 else math.inf,
        )
        wanted = "an undecided number" if math.isinf(needed) else f"about {needed:.0f}"
        lines.append(
            f"step {step}%: about {_duration(seconds)} to decide ({wanted} of the candidate's "
            f"requests at {candidate_rate:.3g}/s, and {rules.min_requests} a side at least)"
        )
        if seconds > rules.max_step_seconds:
            short.append(step)
    return tuple(lines), tuple(short)


def _duration(seconds: float) -> str:
    if math.isinf(seconds):
        return "forever"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds / 3600:.1f} hours"
