"""Blocks of pairs and their placements: exact arithmetic at the tolerance, hand-computed
examples, and the candidate's warm-up."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from cloudrun_acceptance.checks.blocks import (
    Blocks,
    limit_of,
    micros,
    paired_blocks,
    placements,
    time_blocks,
    warmed_up,
)

TEN = limit_of(0.10)


def test_the_limit_is_the_tolerance_as_written():
    assert limit_of(0.10) == Fraction(11, 10)
    assert limit_of(0.15) == Fraction(23, 20)
    assert limit_of(0) == 1


def test_latencies_are_whole_microseconds():
    assert micros([0.012, 0.0125, 1.0000004]).tolist() == [12000, 12500, 1000000]


def test_exactly_ten_percent_slower_is_within_the_tolerance_by_integers_not_floats():
    # The shift in seconds meets the tolerance in floating point as 0.0030000000000000027 > 0.003.
    assert 0.033 - 0.030 > 0.1 * 0.030
    blocks = paired_blocks([30000] * 8, [33000] * 8)
    assert placements(blocks, TEN).tolist() == [0.0]
    assert placements(paired_blocks([30000] * 8, [33001] * 8), TEN).tolist() == [1.0]


def test_a_placement_counts_the_pairs_of_its_block():
    # One block of two candidates against three baselines: 6 pairs.
    # candidate 10 > 1.1 x {5, 9, 19}: 5 (5.5) and 9 (9.9): 2; candidate 22: 5, 9, 19 (20.9): 3.
    blocks = Blocks(
        np.array([10, 22]),
        np.array([0, 0]),
        np.array([5, 9, 19]),
        np.array([0, 0, 0]),
        np.array([1.0]),
    )
    assert placements(blocks, TEN).tolist() == [5 / 6]


def test_paired_blocks_leave_an_unfinished_block_out():
    blocks = paired_blocks(list(range(20)), list(range(20)), size=8)
    assert blocks.count == 2
    assert blocks.ends.tolist() == [8.0, 16.0]
    assert len(blocks.candidate) == 16


def test_time_blocks_give_each_baseline_request_to_the_block_of_its_time():
    # Candidates at 0..9 s (size 4): blocks [start, 4) and [4, 8); 8 and 9 await a next block.
    candidate_times = [float(t) for t in range(10)]
    baseline_times = [0.5, 3.9, 4.0, 7.5, 8.5]
    blocks = time_blocks(candidate_times, [1] * 10, baseline_times, [1, 2, 3, 4, 5], size=4)
    assert blocks.count == 2
    assert blocks.baseline_block.tolist() == [0, 0, 1, 1]
    assert blocks.baseline.tolist() == [1, 2, 3, 4]
    assert blocks.ends.tolist() == [4.0, 8.0]


def test_a_block_without_a_baseline_request_is_left_out():
    blocks = time_blocks([0, 1, 2, 3, 4], [1] * 5, [0.5], [1], size=2)
    assert blocks.count == 1
    assert blocks.candidate_block.tolist() == [0, 0]


def test_the_warm_up_ends_at_the_first_block_within_the_tolerance():
    # Blocks of a cold start (the candidate 10x slower), then like the stable revision.
    times = np.arange(64, dtype=float)
    latencies = np.array([100000] * 24 + [10000] * 40)
    blocks = time_blocks(times, latencies, times + 0.5, [10000] * 64, size=8)
    assert blocks.count == 7
    assert warmed_up(blocks, TEN, warmup=1000.0) == 4  # 3 slow blocks and the first fast one
    assert warmed_up(blocks, TEN, warmup=8.0) == 1  # the second block starts at 8 s
    assert warmed_up(blocks, TEN, warmup=0.0) == 0
