"""What the sequential judge concluded, in plain values: the error budget a judgement spent, and
the evidence of latency and of errors at the look that decided (or the last one).

The statistics live in checks/sequential.py; these are what the reports and messages read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Decision = Literal["passed", "failed", "undecided"]


@dataclass(frozen=True)
class ErrorBudget:
    """A judgement's share of the false-alarm rate the user set: ``total`` is 1 - confidence,
    ``alpha`` this test's share of it, and ``why`` how the total was split ("one of 3 tests: 2
    request kinds and the errors")."""

    alpha: float
    total: float
    why: str

    def split(self, parts: int, why: str) -> ErrorBudget:
        """An equal share of this budget for each of ``parts`` tests (a union bound: the
        chance that any of them fails wrongly stays within this budget)."""
        return ErrorBudget(self.alpha / parts, self.total, why)


@dataclass(frozen=True)
class LatencyEvidence:
    """The latency judgement of one comparison: the ratio of the candidate's answers to the
    baseline's answers sent beside them, against ``limit`` (1 + the tolerance).

    ``estimate``: the ratio the candidate exceeds in half of the pairs (the Hodges-Lehmann
    shift of the log latencies, as a ratio); ``low`` and ``high``: its confidence sequence at
    the deciding look (None: unbounded so far). ``pairs``: candidate-baseline pairs compared,
    in ``blocks``; ``look`` of ``looks``: when it was decided (the last look when undecided).
    ``skipped_blocks``: blocks left out of a window's start (the candidate's warm-up).
    """

    decision: Decision
    limit: float
    estimate: float | None
    low: float | None
    high: float | None
    candidate: int
    baseline: int
    blocks: int
    look: int
    looks: int
    budget: ErrorBudget
    skipped_blocks: int = 0


@dataclass(frozen=True)
class ErrorEvidence:
    """The errors judgement: each side's failed and total requests, the e-value against "the
    candidate fails no more often" (its reciprocal is an anytime-valid p-value), and the
    bound on how much more often it may fail, against ``tolerance``."""

    decision: Decision
    candidate_failed: int
    candidate_total: int
    baseline_failed: int
    baseline_total: int
    e_value: float
    excess_bound: float | None  # candidate's rate minus the baseline's, upper bound
    tolerance: float
    budget: ErrorBudget

    @property
    def seen_beyond(self) -> bool:
        """Undecided, but the candidate's failure rate as seen exceeds the baseline's by more
        than the tolerance: not a pass when the data end (nor decided enough to fail)."""
        candidate = self.candidate_failed / self.candidate_total if self.candidate_total else 0.0
        baseline = self.baseline_failed / self.baseline_total if self.baseline_total else 0.0
        return self.decision == "undecided" and candidate > baseline + self.tolerance

    @property
    def p_value(self) -> float:
        """The anytime-valid p-value, 1 / e (at most 1)."""
        return min(1.0, 1.0 / self.e_value) if self.e_value > 0 else 1.0
