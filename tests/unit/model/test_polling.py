"""The one polling loop: immediate first attempt, growing intervals, the last one at the deadline."""

from __future__ import annotations

from cloudrun_acceptance.model.polling import Backoff, poll


class Clock:
    """A clock that advances only when the loop sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_intervals_grow_to_the_cap_and_stop_at_the_deadline():
    clock = Clock()
    attempts = list(
        poll(101.0, Backoff(first=0.1, factor=2.0, cap=0.3), clock=clock, sleep=clock.sleep)
    )
    assert clock.slept == [0.1, 0.2, 0.3, 0.3, 0.1]  # the last sleep is cut at the deadline
    assert attempts == [1, 2, 3, 4, 5, 6]  # the sixth attempt happens at the deadline
    assert clock.now == 101.0


def test_the_caller_stops_as_soon_as_it_has_what_it_waits_for():
    clock = Clock()
    for attempt in poll(200.0, Backoff(first=1, cap=1), clock=clock, sleep=clock.sleep):
        if attempt == 2:
            break
    assert clock.slept == [1]


def test_a_deadline_already_passed_still_gives_one_attempt():
    clock = Clock()
    assert list(poll(50.0, Backoff(first=1, cap=1), clock=clock, sleep=clock.sleep)) == [1]
    assert clock.slept == []
