"""The sandbox's users: paced, never in bursts; their mix of reads and health; and a generator
that counts what a refused service does to it, never raises, and stops within a second."""

from __future__ import annotations

import random
import socket
import threading
import time
from collections import Counter

import pytest

from cloudrun_acceptance.sandbox.platform.deployment import loopback_url
from cloudrun_acceptance.sandbox.platform.users import USER_MIX, Pacer, UserTraffic, user_path


def test_requests_are_due_one_interval_apart():
    pacer = Pacer(100.0, start=10.0)
    assert pacer.wait(10.0) == 0.0
    pacer.take(10.0)
    assert pacer.wait(10.0) == pytest.approx(0.01)
    pacer.take(10.01)
    assert pacer.wait(10.005) == pytest.approx(0.015)


def test_a_sender_that_sends_a_little_late_keeps_the_rate():
    pacer = Pacer(100.0, start=0.0)
    now = 0.0
    for _ in range(100):
        now += pacer.wait(now) + 0.002  # each request sent 2 ms after it was due
        pacer.take(now)
    # The schedule stays on its slots: 100 requests in about a second, not 1.2 s.
    assert pacer.due == pytest.approx(1.0)


def test_after_a_stall_the_missed_slots_are_dropped_not_burst():
    pacer = Pacer(100.0, start=0.0)
    pacer.take(0.0)
    now = 1.0  # a stall of a second: a hundred slots missed
    sent_at_once = 0
    while pacer.wait(now) == 0.0:
        pacer.take(now)
        sent_at_once += 1
    assert sent_at_once == 1
    assert pacer.wait(now) == pytest.approx(0.01)


def test_the_mix_is_mostly_reads_of_concepts_the_rest_health():
    draw = random.Random(5)
    paths = Counter(user_path(draw).split("?")[0] for _ in range(5000))
    assert set(paths) == {"/api/concepts", "/api/health"}
    assert abs(paths["/api/concepts"] / 5000 - USER_MIX) < 0.03
    assert user_path(random.Random(1)).startswith(("/api/concepts?q=", "/api/health"))


def refusing_port() -> tuple[socket.socket, int]:
    """A bound port that is not listening: every connection to it is refused."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    return sock, int(sock.getsockname()[1])


def test_a_refused_service_is_counted_never_raised_and_the_users_stop_within_a_second():
    raised: list[threading.ExceptHookArgs] = []
    before = threading.excepthook
    threading.excepthook = raised.append
    sock, port = refusing_port()
    try:
        users = UserTraffic(loopback_url(port), 200.0, seed=2)
        users.start()
        deadline = time.monotonic() + 5.0  # a loaded machine sends later, never not at all
        while users.sent < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        users.stop()
    finally:
        threading.excepthook = before
        sock.close()
    assert raised == []
    assert not users.running
    assert users.sent >= 5 and users.failed == users.sent
    assert users.statuses == {}
    assert "sandbox-users" not in {thread.name for thread in threading.enumerate()}
