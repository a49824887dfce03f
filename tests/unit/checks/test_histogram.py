"""The figures of the report's latency chart: both revisions' answers and the baseline's slowed
by the tolerance, counted in the same bins up to the slowest p95, the slow tail in a bin of its
own."""

from __future__ import annotations

from collections.abc import Sequence

from cloudrun_acceptance.checks.histogram import HISTOGRAM_BINS, HISTOGRAM_KEYS, histogram
from cloudrun_acceptance.model.compare import Endpoint, PairedLoad, Sample, Side

BASELINE = Endpoint("svc-00001-xyz", "https://svc.run.app")
CANDIDATE = Endpoint("svc-00002-abc", "https://candidate---svc.run.app")


def load(baseline: Sequence[float], candidate: Sequence[float]) -> PairedLoad:
    """Answers of the kind 'health' in ms, each side with one 500 and one refused exchange
    besides, which the histogram leaves out (they are the errors comparison's)."""
    samples = []
    sides: tuple[tuple[Side, Sequence[float]], ...] = (
        ("baseline", baseline),
        ("candidate", candidate),
    )
    for side, answers in sides:
        samples += [Sample("health", side, i, 200, ms / 1000) for i, ms in enumerate(answers)]
        samples += [
            Sample("health", side, -1, 500, 0.001),
            Sample("health", side, -2, None, 0.0, error="refused"),
        ]
    return PairedLoad(BASELINE, CANDIDATE, tuple(samples), 0, 1.0, 60.0, 1)


def counts(figure: str) -> list[int]:
    return [int(n) for n in figure.split()]


def test_the_bins_run_from_the_fastest_answer_to_the_slowest_p95_and_the_tail_has_its_own():
    # p95s: baseline 10.1 ms, candidate 12.5 ms, the baseline 10% slower 11.11 ms.
    figures = histogram(load([10.1] * 19 + [40.0], [12.5] * 19 + [41.0]), "health", 0.1)
    assert tuple(figures) == HISTOGRAM_KEYS
    assert figures["histogram bins (ms)"] == (
        "10.3 10.5 10.7 10.9 11.1 11.3 11.5 11.7 11.9 12.1 12.3 12.5"
    )
    # The 40 ms and 41 ms answers are past every bin edge: in the tail, never in the last bin.
    assert counts(figures["histogram baseline"]) == [19] + [0] * 11 + [1]
    assert counts(figures["histogram candidate"]) == [0] * 11 + [19, 1]
    # The baseline's answers each 1.1 times as long: 11.11 ms (from 11.1 to 11.3), and 44 ms.
    assert counts(figures["histogram at tolerance"]) == [0] * 5 + [19] + [0] * 6 + [1]
    assert figures["histogram revisions"] == "svc-00001-xyz svc-00002-abc"


def test_every_answer_below_500_is_counted_once():
    baseline = [20.0 + 0.37 * (i % 17) for i in range(300)]
    candidate = [23.0 + 0.41 * (i % 13) for i in range(300)] + [250.0, 480.0]
    figures = histogram(load(baseline, candidate), "health", 0.25)
    for key, answers in (
        ("histogram baseline", baseline),
        ("histogram candidate", candidate),
        ("histogram at tolerance", baseline),
    ):
        row = counts(figures[key])
        assert len(row) == HISTOGRAM_BINS + 1
        assert sum(row) == len(answers)
    assert counts(figures["histogram candidate"])[-1] >= 2  # 250 ms and 480 ms


def test_the_edges_carry_as_many_decimals_as_tell_neighbours_apart():
    wide = histogram(load([1000.0] * 20, [2200.0] * 20), "health", 0.1)
    assert wide["histogram bins (ms)"].split()[:3] == ["1100", "1200", "1300"]
    narrow = histogram(load([10.0] * 20, [10.12] * 20), "health", 0.0)
    assert narrow["histogram bins (ms)"].split()[:3] == ["10.010", "10.020", "10.030"]
    # Every answer the same: bins of a microsecond, still twelve labels that differ.
    same = histogram(load([7.0] * 20, [7.0] * 20), "health", 0.0)["histogram bins (ms)"].split()
    assert len(set(same)) == HISTOGRAM_BINS
    assert same[0] == "7.001"


def test_no_answer_below_500_on_either_side_draws_nothing():
    assert histogram(load([], []), "health", 0.1) == {}
