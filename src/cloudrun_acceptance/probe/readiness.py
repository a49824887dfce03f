"""Waiting out a cold start: poll the health path until the service answers."""

from __future__ import annotations

import time

from ..model.exchange import Readiness
from ..model.polling import Backoff, poll
from .client import ServiceClient

READY_BACKOFF = Backoff(first=0.2, factor=1.5, cap=2.0)


def wait_until_ready(
    client: ServiceClient, path: str, timeout: float, *, backoff: Backoff = READY_BACKOFF
) -> Readiness:
    """Poll ``path`` until an answer below 500 (and not 429) comes back, or ``timeout`` passes.

    Cloud Run answers 503 or 429 while an instance starts; a refused connection means nothing
    listens yet. Anything else is an answer, which the health check then judges.
    """
    start = time.monotonic()
    deadline = start + timeout
    for attempts in poll(deadline, backoff):
        remaining = deadline - time.monotonic()
        exchange = client.get(path, timeout=max(0.1, min(client.timeout, remaining)))
        if exchange.status is not None and exchange.status < 500 and exchange.status != 429:
            return Readiness(True, time.monotonic() - start, attempts, exchange, timeout)
    return Readiness(False, time.monotonic() - start, attempts, exchange, timeout)
