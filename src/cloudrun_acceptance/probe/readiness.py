"""Waiting out a cold start: poll the health path until the service answers, or until a cause
no retry changes says it never will."""

from __future__ import annotations

import time
from collections.abc import Callable

from ..model.exchange import Exchange, Permanent, Readiness
from ..model.polling import Backoff, poll
from .client import ServiceClient
from .tls import untrusted_certificate

READY_BACKOFF = Backoff(first=0.2, factor=1.5, cap=2.0)
# Asked before each attempt: why the service will never answer (its process is gone), or None.
Gone = Callable[[], Permanent | None]


def wait_until_ready(
    client: ServiceClient,
    path: str,
    timeout: float,
    *,
    backoff: Backoff = READY_BACKOFF,
    gone: Gone | None = None,
) -> Readiness:
    """Poll ``path`` until an answer below 500 (and not 429) comes back, or ``timeout`` passes.

    Cloud Run answers 503 or 429 while an instance starts; a refused connection means nothing
    listens yet. Anything else is an answer, which the health check then judges. The wait ends
    at once, not ready, on a cause no retry changes: a TLS certificate this machine does not
    trust, or what ``gone`` reports (the sandbox's own service process exited).
    """
    start = time.monotonic()
    deadline = start + timeout
    last: Exchange | None = None
    for attempts in poll(deadline, backoff):
        known = gone() if gone is not None else None
        if known is not None:
            # Nothing is sent to a service known to be gone (its 503 would be the gate's own).
            last = last or Exchange("GET", f"{client.base_url}{path}", error="not sent")
            return _ended(start, attempts - 1, last, timeout, known)
        remaining = deadline - time.monotonic()
        last = client.get(path, timeout=max(0.1, min(client.timeout, remaining)))
        if last.status is not None and last.status < 500 and last.status != 429:
            return Readiness(True, time.monotonic() - start, attempts, last, timeout)
        if last.error_kind == "certificate":
            return _ended(start, attempts, last, timeout, untrusted_certificate(last))
    assert last is not None  # poll yields at least once
    return Readiness(False, time.monotonic() - start, attempts, last, timeout)


def _ended(
    start: float, attempts: int, last: Exchange, timeout: float, permanent: Permanent
) -> Readiness:
    return Readiness(False, time.monotonic() - start, attempts, last, timeout, permanent)
