"""The wait for the first answer: through 503s, up to the ready timeout, or until a cause no
retry changes ends it at once (a service known to be gone, an untrusted certificate)."""

from __future__ import annotations

import ssl

import httpx

from cloudrun_acceptance.model.exchange import Permanent
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


def untrusted(request: httpx.Request) -> httpx.Response:
    """What httpx raises when the server's certificate is not trusted here."""
    try:
        raise ssl.SSLCertVerificationError(
            1,
            "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed "
            "certificate (_ssl.c:1006)",
        )
    except ssl.SSLCertVerificationError as err:
        raise httpx.ConnectError(str(err), request=request) from err


def test_an_untrusted_certificate_ends_the_wait_after_one_attempt():
    sent: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return untrusted(request)

    client = ServiceClient("https://svc.example", transport=httpx.MockTransport(answer))
    readiness = wait_until_ready(
        client, "/api/health", timeout=3600, backoff=Backoff(first=0.01, cap=0.01)
    )
    assert (readiness.ready, readiness.attempts, len(sent)) == (False, 1, 1)
    assert readiness.last.error_kind == "certificate"
    assert readiness.permanent is not None
    assert readiness.permanent.cause == (
        "the TLS certificate of svc.example is not trusted on this machine ([SSL: "
        "CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate)"
    )
    assert readiness.ended() == (
        f"the gate stopped waiting after {readiness.waited:.2f} s (1 attempt), not at the "
        "3600 s ready timeout: waiting does not change this"
    )


def test_a_service_known_to_be_gone_ends_the_wait_before_anything_is_sent(serve):
    sent: list[str] = []

    def answer(method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        sent.append(path)
        return 503, {}, b"the service exited"

    gone = Permanent("your service exited with code 3", ("stderr (1 line):", "  | boom"))
    readiness = wait_until_ready(
        ServiceClient(serve(answer)), "/api/health", timeout=3600, gone=lambda: gone
    )
    assert (readiness.ready, readiness.attempts, sent) == (False, 0, [])
    assert readiness.permanent is gone
    assert readiness.last.error == "not sent"
    assert readiness.summary().startswith("your service exited with code 3; the wait ended after")
    assert readiness.ended() == (
        "the gate stopped waiting at once, not at the 3600 s ready timeout: waiting does not "
        "change this"
    )


def test_a_service_that_goes_away_during_the_wait_ends_it_at_the_next_attempt(serve):
    url = serve(lambda method, path: (503, {}, b"starting"))
    answers = iter([None, Permanent("your service exited with code 1")])
    readiness = wait_until_ready(
        ServiceClient(url),
        "/api/health",
        timeout=3600,
        backoff=Backoff(first=0.01, cap=0.01),
        gone=lambda: next(answers),
    )
    assert (readiness.ready, readiness.attempts, readiness.last.status) == (False, 1, 503)
    assert readiness.permanent == Permanent("your service exited with code 1")
