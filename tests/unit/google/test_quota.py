"""The run's reads of a project wait their turn in its read quota: never more than its calls in
any minute, whichever reader (thread) calls, and the waiting counted."""

from __future__ import annotations

import threading

from cloudrun_acceptance.google._transport import PageCounter
from cloudrun_acceptance.google.quota import ReadPacer
from tests.faketime import FakeTime


def test_calls_wait_for_a_turn_within_the_minute_and_the_waits_are_counted():
    clock = FakeTime()
    pacer = ReadPacer(60, clock=clock.monotonic, sleep=clock.sleep)
    times = []
    for _ in range(150):
        pacer.take()
        times.append(clock.now)
    assert times[:60] == [0.0] * 60  # a minute's calls at once
    assert times[60] == 60.0 and times[120] == 120.0
    assert all(sum(1 for t in times if start <= t < start + 60) <= 60 for start in times)
    assert pacer.calls == 150
    assert pacer.waited == 120.0


def test_readers_in_threads_share_one_pacer():
    pacer = ReadPacer(20)
    done = []

    def read() -> None:
        for _ in range(10):
            pacer.take()
        done.append(True)

    threads = [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)
    assert len(done) == 2 and pacer.calls == 20 and pacer.waited == 0.0
    assert pacer._window.admit(0.0) > 0  # the minute is full: the next call would wait


def test_the_transport_waits_for_the_pacer_before_each_page_and_not_against_its_timeout(serve):
    import requests

    clock = FakeTime()
    pacer = ReadPacer(1, clock=clock.monotonic, sleep=clock.sleep)
    url = serve(lambda method, path: (200, {"Content-Type": "application/json"}, b"{}"))
    session = requests.Session()
    pages = PageCounter(timeout=5, pacer=pacer)
    session.mount("http://", pages)
    pages.start_listing()
    deadline = pages.deadline
    assert session.get(url).status_code == 200
    assert session.get(url).status_code == 200  # waited a minute of the fake clock
    assert (pages.count, pages.waited, clock.now) == (2, 60.0, 60.0)
    assert pages.deadline == deadline + 60.0  # the listing's timeout starts after the wait
