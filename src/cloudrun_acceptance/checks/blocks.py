"""The candidate's latency beside the baseline's, on the scale the user thinks in: blocks of
pairs, and each block's *placement*.

``tolerance: 0.10`` means "at most 10% slower". The judge sets each of the candidate's answers
beside the baseline's answers of the same *block* (8 candidate answers and the baseline's
answers sent beside them in the same rounds of the paired load; 4 candidate answers and the
baseline's answers of the same stretch of a window of users' requests) and counts, per block,
the share of (candidate, baseline) pairs in which the candidate took more than 1.1 times as
long: its placement. A candidate within the tolerance, in
the sense that one of its answers exceeds 1.1 times a baseline answer in at most half of such
pairs (the Hodges-Lehmann shift of the log latencies is at most log 1.1; exactly 1.1 for a
candidate that is exactly 10% slower), has a mean placement of at most 1/2 in every block,
whatever the latency distribution and however it drifts during the run: the two answers of a
pair meet the same conditions. ``.sequential`` tests the placements.

Latencies are whole microseconds and the limit is the tolerance as written (a fraction: ``1 +
1/10``), so the comparison ``candidate * 10 > baseline * 11`` is exact: the boundary is decided
by the data, never by rounding. An answer exactly 1.1 times its partner's is within the
tolerance ("at most 10% slower"), which is how ties (log latencies come in whole milliseconds)
are counted.

Cost: one sort of the baseline's answers by block, O((m + n) log(m + n)) time and O(m + n)
memory for m candidate and n baseline answers, never an m x n array.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

# Candidate answers per block of a paired load: small enough to look often, large enough that a
# block's placement averages many pairs (bench/judge.py measured 4, 8 and 16).
BLOCK = 8
# Candidate answers per block of a window of users' requests. At a step's share the baseline
# answers of a block are many (nine times the candidate's at 10%), so a block of 8 has a
# placement so steady that the largest bet a bounded wealth may place (2: a placement of 0 must
# not make it negative) is smaller than the one the data would pay: the test leaves evidence
# unused. Blocks of 4 fail a 25% slowdown at a 10% share sooner and pass an identical candidate
# as soon (bench/judge.py's window block sweep measured 2, 4 and 8; bench/RESULTS.md).
WINDOW_BLOCK = 4
MICROS = 1_000_000
# Values as a list or an array.
Values = Sequence[float] | np.ndarray


def limit_of(tolerance: float) -> Fraction:
    """``1 + tolerance`` as an exact fraction of the decimal written (0.1 -> 11/10)."""
    return 1 + Fraction(repr(float(tolerance)))


def micros(seconds: Values) -> np.ndarray:
    """Latencies in whole microseconds (a log's ``0.012s`` is exactly 12000)."""
    values: np.ndarray = np.rint(np.asarray(seconds, dtype=float) * MICROS).astype(np.int64)
    return values


@dataclass(frozen=True)
class Blocks:
    """Answers grouped in blocks: each side's values (whole microseconds) and block numbers,
    and when each block ended (seconds from the start; the pair count for a paired load)."""

    candidate: np.ndarray
    candidate_block: np.ndarray
    baseline: np.ndarray
    baseline_block: np.ndarray
    ends: np.ndarray

    @property
    def count(self) -> int:
        """How many blocks."""
        return len(self.ends)

    def first(self, count: int) -> Blocks:
        """The first ``count`` blocks."""
        c, b = self.candidate_block < count, self.baseline_block < count
        return Blocks(
            self.candidate[c],
            self.candidate_block[c],
            self.baseline[b],
            self.baseline_block[b],
            self.ends[:count],
        )

    def after(self, skip: int) -> Blocks:
        """The blocks after the first ``skip``, renumbered from 0."""
        c, b = self.candidate_block >= skip, self.baseline_block >= skip
        return Blocks(
            self.candidate[c],
            self.candidate_block[c] - skip,
            self.baseline[b],
            self.baseline_block[b] - skip,
            self.ends[skip:],
        )


def paired_blocks(baseline: Values, candidate: Values, size: int = BLOCK) -> Blocks:
    """Blocks of ``size`` consecutive pairs of a paired load (``baseline[i]`` was sent beside
    ``candidate[i]``); an unfinished last block is left out. ``ends``: pairs so far."""
    count = min(len(baseline), len(candidate)) // size
    used = count * size
    numbers = np.repeat(np.arange(count), size)
    return Blocks(
        np.asarray(candidate[:used], dtype=np.int64),
        numbers,
        np.asarray(baseline[:used], dtype=np.int64),
        numbers.copy(),
        np.arange(1, count + 1, dtype=float) * size,
    )


def time_blocks(
    candidate_times: Values,
    candidate: Values,
    baseline_times: Values,
    baseline: Values,
    size: int = WINDOW_BLOCK,
) -> Blocks:
    """Blocks of a window: every ``size`` of the candidate's requests in time order, with the
    baseline's requests received between the first of them and the first of the next block
    (the first block from the window's start). A block ends when the next one's first request
    came, so a window's last, unfinished block is left out; blocks without a baseline request
    are left out (nothing to compare them with)."""
    times = np.asarray(candidate_times, dtype=float)
    order = np.argsort(times, kind="stable")
    values = np.asarray(candidate, dtype=np.int64)[order]
    times = times[order]
    count = (len(times) - 1) // size if len(times) else 0
    starts = times[0 : count * size + 1 : size]  # count + 1 edges
    edges = np.concatenate(([-np.inf], starts[1:]))
    used = count * size
    numbers = np.repeat(np.arange(count), size)
    base_times = np.asarray(baseline_times, dtype=float)
    base_values = np.asarray(baseline, dtype=np.int64)
    base_numbers = np.searchsorted(edges, base_times, side="right") - 1
    inside = base_numbers < count
    base_numbers, base_values = base_numbers[inside], base_values[inside]
    present = np.bincount(base_numbers, minlength=count) > 0
    renumber = np.cumsum(present) - 1
    keep_c = present[numbers]
    keep_b = present[base_numbers]
    return Blocks(
        values[:used][keep_c],
        renumber[numbers[keep_c]],
        base_values[keep_b],
        renumber[base_numbers[keep_b]],
        starts[1:][present],
    )


def placements(blocks: Blocks, limit: Fraction) -> np.ndarray:
    """Per block, the share of (candidate, baseline) pairs in which the candidate took more
    than ``limit`` times as long: exact integer comparisons, after one sort of the baseline's
    values by block."""
    count = blocks.count
    if not count:
        return np.zeros(0)
    num, den = limit.numerator, limit.denominator
    top = int(max(blocks.baseline.max(initial=0), 0)) + 2
    keys = np.sort(blocks.baseline_block * top + blocks.baseline)
    # candidate > limit * s  <=>  s * num < c * den  <=>  s < ceil(c * den / num)
    bound = np.clip(-(-(blocks.candidate * den) // num), 0, top - 1)
    base = blocks.candidate_block * top
    below = np.searchsorted(keys, base + bound, side="left") - np.searchsorted(
        keys, base, side="left"
    )
    sums = np.bincount(blocks.candidate_block, weights=below, minlength=count)
    per_block = np.bincount(blocks.candidate_block, minlength=count) * np.bincount(
        blocks.baseline_block, minlength=count
    )
    shares: np.ndarray = sums / np.maximum(per_block, 1)
    return shares


def warmed_up(blocks: Blocks, limit: Fraction, warmup: float) -> int:
    """How many leading blocks of a window are the candidate's warm-up: up to the first block
    in which it was not slower beyond ``limit`` (placement at most 1/2; that block is left out
    too, as it was chosen by its data), and never those starting at ``warmup`` seconds or later.
    The blocks after are independent of that choice, so the tests stay valid."""
    if not blocks.count:
        return 0
    starts = np.concatenate(([0.0], blocks.ends[:-1]))  # the first from the window's start
    by_time = int(np.searchsorted(starts, warmup, side="left"))
    fast = np.nonzero(placements(blocks, limit) <= 0.5)[0]
    by_data = int(fast[0]) + 1 if len(fast) else blocks.count
    return min(by_time, by_data, blocks.count)
