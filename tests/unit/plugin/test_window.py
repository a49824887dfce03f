"""The window judge's reads: a uniform sample planned from the rate the last read saw, read
again smaller when a read reaches its cap, the fraction of the read kept, and Cloud Logging's
read quota (429) waited out within the look's deadline. A stand-in for read_window answers as
the Logging API would for a steady 1,000 entries a second."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from cloudrun_acceptance.model.errors import LoggingApiError
from cloudrun_acceptance.model.rollout import RevisionTraffic, RolloutRules, StepWindow
from cloudrun_acceptance.plugin import window as window_module
from cloudrun_acceptance.plugin.window import WindowJudge
from tests.faketime import FakeTime

EPOCH = datetime(2026, 12, 7, tzinfo=UTC)
RATE = 1000.0  # entries a second, both revisions


class Logs:
    """read_window's stand-in: a read returns round(RATE x seconds x fraction) entries, evenly
    spread, the first ``cap`` of them when more; ``refusals`` reads answer 429 first."""

    def __init__(self, cap: int, refusals: int = 0) -> None:
        self.cap, self.refusals = cap, refusals
        self.fractions: list[float] = []

    def __call__(self, reader, *, share, candidate, stable, start, end, origin, fraction):
        self.fractions.append(fraction)
        if self.refusals:
            self.refusals -= 1
            raise LoggingApiError("quota", "wait", 429)
        begin = (start - origin).total_seconds()
        count = round(RATE * (end - start).total_seconds() * fraction)
        shown = min(count, self.cap)
        times = tuple(begin + i / (RATE * fraction) for i in range(shown))
        side = RevisionTraffic(candidate, (200,) * shown, (0.01,) * shown, times)
        return StepWindow(
            share,
            start,
            end,
            side,
            RevisionTraffic(stable),
            capped=count > self.cap,
            fraction=fraction,
        )


def judge_with(
    monkeypatch, logs: Logs, cap: int, timeout: float = 30.0
) -> tuple[WindowJudge, FakeTime]:
    clock = FakeTime()
    monkeypatch.setattr(window_module, "time", clock)
    monkeypatch.setattr(window_module, "read_window", logs)
    facts = SimpleNamespace(revision=SimpleNamespace(name="candidate"))
    rules = RolloutRules(max_requests=cap)
    judge = WindowJudge(facts, "stable", rules, None, timeout)  # type: ignore[arg-type]
    judge.now = lambda: EPOCH + timedelta(seconds=clock.now)  # type: ignore[method-assign]
    judge._reader = object()  # type: ignore[assignment]
    return judge, clock


def empty() -> StepWindow:
    return StepWindow(10, EPOCH, EPOCH, RevisionTraffic("candidate"), RevisionTraffic("stable"))


def test_a_capped_first_read_is_read_again_as_a_sample_and_the_next_look_plans_from_it(
    monkeypatch,
):
    logs = Logs(cap=5000)
    judge, clock = judge_with(monkeypatch, logs, cap=5000)
    clock.now = 10.0  # 10,000 entries came: more than a read takes
    window = judge._grown(empty(), 10, EPOCH, 1, 0)
    # First all (capped: 5,000 entries up to 4.999 s, so 1,000.2 a second), then
    # 5,000 / (10,002 x 1.25), rounded down to 0.399, read twice to agree.
    assert logs.fractions == [1.0, 0.399, 0.399]
    assert (window.fraction, window.capped, window.candidate.requests) == (0.399, False, 3990)
    clock.now = 20.0
    logs.fractions.clear()
    window = judge._grown(window, 10, EPOCH, 2, 0)
    # Planned from the 1,000 a second the last read saw: 5,000 / (10,000 x 1.25).
    assert logs.fractions == [0.4, 0.4]
    assert (window.fraction, window.candidate.requests) == (0.399, 3990 + 4000)


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
