"""The one polling loop of the gate: attempts until a deadline, with a growing interval between.

Readiness, the counters around an action and the log queries all wait for something that takes
an unknown time (a cold start, a scrape, log ingestion). None of them sleeps a fixed time: each
tries, and tries again after a short interval that grows, until it has what it waits for (the
caller stops iterating) or the deadline has passed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Backoff:
    """The interval between attempts: ``first``, then times ``factor``, never above ``cap``."""

    first: float
    cap: float
    factor: float = 2.0


def poll(
    deadline: float,
    backoff: Backoff,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[int]:
    """Yield the attempt numbers 1, 2, 3, ... until ``deadline`` (a ``clock`` time).

    The first attempt is immediate; between two attempts it sleeps the next interval, cut short
    at the deadline, so the last attempt happens at the deadline and none after it.
    """
    interval, attempt = backoff.first, 0
    while True:
        attempt += 1
        yield attempt
        remaining = deadline - clock()
        if remaining <= 0:
            return
        sleep(min(interval, remaining))
        interval = min(interval * backoff.factor, backoff.cap)
