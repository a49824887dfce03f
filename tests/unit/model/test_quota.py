"""A per-minute quota: at most N calls in any 60 seconds, and when the next one may go."""

from __future__ import annotations

from cloudrun_acceptance.model.quota import CallWindow


def test_calls_beyond_the_quota_wait_for_the_oldest_to_leave_the_minute():
    window = CallWindow(3)
    assert [window.admit(t) for t in (0.0, 10.0, 20.0)] == [0.0, 0.0, 0.0]
    assert window.admit(30.0) == 30.0  # the call at 0 leaves the minute at 60
    assert abs(window.admit(59.9) - 0.1) < 1e-9  # a refused call is not counted
    assert window.admit(60.0) == 0.0
    assert window.admit(61.0) == 9.0  # now 10, 20, 60 are in the minute


def test_no_quota_admits_every_call():
    window = CallWindow(0)
    assert all(window.admit(0.0) == 0.0 for _ in range(1000))
