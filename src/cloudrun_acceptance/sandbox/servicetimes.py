"""How long the reference service takes to answer, on top of the real work of each handler.

In the direct flow, only what the profiles ask for (an analysis of ``--sandbox-analysis-seconds``,
a slow cache hit): every other answer is as fast as the machine. In the candidate flow, where the
gate compares two revisions' wire times, health takes 5 ms and a cache hit 20 ms, so that a
candidate "40% slower" (``Behaviour.slowdown``, which scales every one of these times) is a shift
a paired load can measure, not noise around a zero. The users' read (``/api/concepts``, which
the gate never calls) takes 10 ms there, times ``slowdown`` and its own ``user_slowdown``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .behaviour import Behaviour

CANDIDATE_HEALTH_SECONDS = 0.005
CANDIDATE_CACHE_HIT_SECONDS = 0.020
CANDIDATE_CONCEPTS_SECONDS = 0.010


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


def concepts_seconds(behaviour: Behaviour) -> float:
    """Seconds the users' read (``/api/concepts``) of a revision that behaves as ``behaviour``
    waits before it answers: apart from ``ServiceTimes``, as only the users' path has it."""
    concepts = CANDIDATE_CONCEPTS_SECONDS if behaviour.flow == "candidate" else 0.0
    return concepts * behaviour.slowdown * behaviour.user_slowdown
