"""The window judge's reads: one read a look, from a little before the last one's end (what
Cloud Logging showed late), nothing counted twice; a uniform sample planned from the rate the
last read saw, read again smaller when a read reaches its cap, never larger than the window's;
and Cloud Logging's read quota (429) waited out within the look's deadline. A stand-in for
read_slice answers as the Logging API would for a steady 1,000 entries a second."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from cloudrun_acceptance.engine import window_judge as window_module
from cloudrun_acceptance.engine.window_judge import WindowJudge
from cloudrun_acceptance.google.requestlog import Slice, sample_fraction
from cloudrun_acceptance.model.errors import LoggingApiError
from cloudrun_acceptance.model.rollout import RevisionTraffic, RolloutRules, StepWindow
from tests.faketime import FakeTime

EPOCH = datetime(2026, 12, 7, tzinfo=UTC)
RATE = 1000.0  # entries a second, both revisions
_DRAW = random.Random(7)
DRAWS = [_DRAW.random() for _ in range(200_000)]


class Logs:
    """read_slice's stand-in, over a log of RATE entries a second (entry i at i / RATE s, all
    the candidate's), each shown ``lag`` seconds after it; a read of a fraction takes those
    whose draw is below it (as sample(insertId, f): the same ones at every read), the first
    ``cap`` of them when more; ``refusals`` reads answer 429 first."""

    def __init__(self, cap: int, refusals: int = 0, lag: float = 0.0) -> None:
        self.cap, self.refusals, self.lag = cap, refusals, lag
        self.fractions: list[float] = []
        self.clock: FakeTime | None = None
        self.ignored = False  # every entry, whatever the fraction

    def __call__(self, reader, *, share, candidate, stable, start, end, origin, fraction, seen):
        self.fractions.append(fraction)
        if self.refusals:
            self.refusals -= 1
            raise LoggingApiError("quota", "wait", 429)
        assert self.clock is not None
        low = (start - EPOCH).total_seconds()
        high = min((end - EPOCH).total_seconds(), self.clock.now - self.lag)
        found = [
            i
            for i in range(math.ceil(low * RATE), max(0, math.ceil(high * RATE)))
            if DRAWS[i] < fraction or self.ignored
        ]
        shown = found[: self.cap]
        at = {f"e{i}": i / RATE - (origin - EPOCH).total_seconds() for i in shown}
        new = [t for key, t in at.items() if key not in seen]
        side = RevisionTraffic(candidate, (200,) * len(new), (0.01,) * len(new), tuple(new))
        window = StepWindow(
            share,
            start,
            end,
            side,
            RevisionTraffic(stable),
            capped=len(found) > self.cap,
            fraction=fraction,
        )
        return Slice(window, at)


def judge_with(
    monkeypatch, logs: Logs, cap: int, timeout: float = 30.0
) -> tuple[WindowJudge, FakeTime]:
    clock = FakeTime()
    monkeypatch.setattr(window_module, "time", clock)
    monkeypatch.setattr(window_module, "read_slice", logs)
    logs.clock = clock
    facts = SimpleNamespace(revision=SimpleNamespace(name="candidate"))
    rules = RolloutRules(max_requests=cap)
    judge = WindowJudge(facts, "stable", rules, None, timeout)  # type: ignore[arg-type]
    judge.now = lambda: EPOCH + timedelta(seconds=clock.now)  # type: ignore[method-assign]
    judge._reader = SimpleNamespace(waited=0.0)  # type: ignore[assignment]
    return judge, clock


def empty() -> StepWindow:
    return StepWindow(10, EPOCH, EPOCH, RevisionTraffic("candidate"), RevisionTraffic("stable"))


def sampled(start: float, end: float, fraction: float) -> int:
    """How many of the stand-in's entries from ``start`` to ``end`` s a sample takes."""
    return sum(
        1 for i in range(math.ceil(start * RATE), math.ceil(end * RATE)) if DRAWS[i] < fraction
    )


def test_a_capped_first_read_is_read_again_as_a_sample_and_the_next_look_plans_from_it(
    monkeypatch,
):
    logs = Logs(cap=5000)
    judge, clock = judge_with(monkeypatch, logs, cap=5000)
    clock.now = 10.0  # 10,000 entries came: more than a read takes
    window = judge._grown(empty(), 10, EPOCH, 1, 0)
    # First all (capped: 5,000 entries up to 4.999 s, so 1,000.2 a second), then
    # 5,000 / (10,002 x 1.25), rounded down to 0.399: one read, as a stretch does not lag here.
    assert logs.fractions == [1.0, 0.399]
    first = sampled(0, 10, 0.399)
    assert (window.fraction, window.capped, window.candidate.requests) == (0.399, False, first)
    clock.now = 20.0
    logs.fractions.clear()
    window = judge._grown(window, 10, EPOCH, 2, 0)
    # From 5 s (ingestion_seconds) before the last end: 15 s at the rate the last read saw
    # (about 1,000 a second), 5,000 / (15 x rate x 1.25); what the stretch held from 5 s to
    # 10 s was read before (this sample is a sample of that one), so only what came since
    # 10 s is new.
    planned = sample_fraction(first / 0.399 / 10, 15, 5000)
    assert 0.25 < planned < 0.28
    assert logs.fractions == [planned]
    assert window.fraction == planned
    assert window.candidate.requests == first + sampled(10, 20, planned)


def test_entries_shown_late_are_judged_once_at_the_next_look(monkeypatch):
    logs = Logs(cap=50_000, lag=3.0)  # each entry shows 3 s after its request
    judge, clock = judge_with(monkeypatch, logs, cap=50_000)
    window = empty()
    for look in range(1, 4):
        clock.now = 10.0 * look
        window = judge._grown(window, 10, EPOCH, look, 0)
    # Every request up to 27 s, each once: those of the last 3 s of each look came late and
    # were read at the next one (the last look's are still to show).
    assert window.candidate.requests == 27_000
    assert len(set(window.candidate.times)) == 27_000
    assert window.fraction == 1.0


def test_a_sample_never_grows_within_a_judgement(monkeypatch):
    logs = Logs(cap=5000)
    judge, clock = judge_with(monkeypatch, logs, cap=5000)
    clock.now = 10.0
    window = judge._grown(empty(), 10, EPOCH, 1, 0)
    judge._rate = 10.0  # the traffic fell: the next read would take every entry
    clock.now = 12.0
    window = judge._grown(window, 10, EPOCH, 2, 0)
    # Still 0.399: the stretch from 5 s is read again, and a larger sample of it would hold
    # entries the last read left out, counted as new.
    assert logs.fractions[-1] == window.fraction == 0.399


def test_a_read_capped_even_sampled_ends_the_window_at_its_newest_entry(monkeypatch):
    logs = Logs(cap=100)
    logs.ignored = True  # as if the traffic grew faster than each smaller sample
    judge, clock = judge_with(monkeypatch, logs, cap=100)
    clock.now = 10.0
    window = judge._grown(empty(), 10, EPOCH, 1, 0)
    assert window.capped
    assert len(logs.fractions) == 3  # the first read and RESAMPLES smaller ones
    newest = max(window.candidate.times)
    assert window.end == EPOCH + timedelta(seconds=newest) < EPOCH + timedelta(seconds=10)


def test_quota_refusals_are_waited_out_then_an_unending_one_stops_the_look(monkeypatch):
    logs = Logs(cap=50_000, refusals=2)
    judge, clock = judge_with(monkeypatch, logs, cap=50_000)
    clock.now = 1.0
    window = judge._grown(empty(), 10, EPOCH, 1, 0)
    assert window.candidate.requests == 1000
    assert clock.now >= 1.0 + 2.0 + 3.0  # waited 2 s, then 3 s (QUOTA_BACKOFF)
    logs.refusals = 10**6
    with pytest.raises(LoggingApiError) as refused:
        judge._grown(window, 10, EPOCH, 2, 0)
    assert refused.value.status == 429


def test_a_look_lost_to_the_quota_is_skipped_and_the_next_one_reads_its_stretch(monkeypatch):
    logs = Logs(cap=50_000)
    judge, clock = judge_with(monkeypatch, logs, cap=50_000, timeout=3.0)
    clock.now = 10.0
    window = judge._grown(empty(), 10, EPOCH, 1, 0)
    assert window.candidate.requests == 10_000
    logs.refusals = 10**6
    clock.now = 20.0
    with pytest.raises(LoggingApiError):
        judge._grown(window, 10, EPOCH, 2, 0)  # refused all through the look's deadline
    logs.refusals = 0
    clock.now = 30.0
    window = judge._grown(window, 10, EPOCH, 3, 0)
    assert window.candidate.requests == 30_000  # the lost look's stretch read at the next


def test_a_step_outlives_looks_lost_to_the_quota_and_says_so(monkeypatch):
    logs = Logs(cap=50_000)
    judge, clock = judge_with(monkeypatch, logs, cap=50_000, timeout=3.0)
    judge.rules = RolloutRules(bake_seconds=60.0, min_bake_seconds=20.0, min_requests=30)
    calls = []

    def refuse_the_second_look(*args, **kwargs):
        calls.append(clock.now)
        if len(calls) in {2, 3}:  # its read, and its retry at the look's deadline
            raise LoggingApiError("quota", "wait", 429)
        return logs(*args, **kwargs)

    monkeypatch.setattr(window_module, "read_slice", refuse_the_second_look)
    monkeypatch.setattr(judge, "prepare", lambda: None)
    monkeypatch.setattr(window_module, "QUOTA_BACKOFF", window_module.Backoff(first=5, cap=5))
    monkeypatch.setattr(judge, "counted", lambda window: window)
    found, verdict = judge.judge(10)
    assert found is not None and found.quota_refusals == 1
    assert verdict.figures["looks lost to the read quota"] == "1"
    assert any("were skipped; the next look read" in line for line in verdict.evidence)
