"""How long the reference service takes to answer, on top of the real work of each handler.

In the direct flow, only what the profiles ask for (an analysis of ``--sandbox-analysis-seconds``,
a slow cache hit): every other answer is as fast as the machine. In the candidate flow, where the
gate compares two revisions' wire times, health takes 5 ms and a cache hit 20 ms, so that a
candidate "40% slower" (``Behaviour.slowdown``, which scales every one of these times) is a shift
a paired load can measure, not noise around a zero.
"""

from __future__ import annotations

from dataclasses import dataclass

from .behaviour import Behaviour

CANDIDATE_HEALTH_SECONDS = 0.005
CANDIDATE_CACHE_HIT_SECONDS = 0.020


@dataclass(frozen=True)
class ServiceTimes:
    """Seconds each handler waits before it answers."""

    health: float
    cache_hit: float
    analysis: float


def service_times(behaviour: Behaviour, analysis_seconds: float) -> ServiceTimes:
    """The service times of a revision that behaves as ``behaviour``."""
    candidate = behaviour.flow == "candidate"
    health = CANDIDATE_HEALTH_SECONDS if candidate else 0.0
    cache_hit = (CANDIDATE_CACHE_HIT_SECONDS if candidate else 0.0) + behaviour.cache_delay_seconds
    factor = behaviour.slowdown
    return ServiceTimes(health * factor, cache_hit * factor, analysis_seconds * factor)
