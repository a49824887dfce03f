"""The wait for the first answer: through 503s, up to the ready timeout."""

from __future__ import annotations

from cloudrun_acceptance.model.polling import Backoff
from cloudrun_acceptance.probe.client import ServiceClient
from cloudrun_acceptance.probe.readiness import wait_until_ready


def test_ready_wait_keeps_polling_through_503_then_returns(serve):
    answers = iter([503, 503, 200])
    url = serve(lambda method, path: (next(answers), {"Content-Type": "application/json"}, b"{}"))
    readiness = wait_until_ready(
        ServiceClient(url), "/api/health", timeout=5, backoff=Backoff(first=0.01, cap=0.01)
    )
    assert readiness.ready and readiness.attempts == 3
    assert readiness.last.status == 200


def test_ready_wait_gives_up_at_the_timeout(serve):
    url = serve(lambda method, path: (503, {}, b"warming up"))
    readiness = wait_until_ready(
        ServiceClient(url), "/api/health", timeout=0.3, backoff=Backoff(first=0.05, cap=0.05)
    )
    assert not readiness.ready
    assert readiness.last.status == 503
    assert readiness.summary().startswith("no usable answer within the 0.3 s ready timeout")
