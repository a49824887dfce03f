"""How long the reference service takes to answer, on top of the real work of each handler.

In the direct flow, only what the profiles ask for (an analysis of ``--sandbox-analysis-seconds``,
a slow cache hit): every other answer is as fast as the machine. In the candidate flow, where the
gate compares two revisions' wire times, health takes 5 ms and a cache hit 20 ms, so that a
candidate "40% slower" (``Behaviour.slowdown``, which scales every one of these times) is a shift
a paired load can measure, not noise around a zero. The users' read (``/api/concepts``, which
the gate never calls) takes 10 ms there, times ``slowdown`` and its own ``user_slowdown``.

Beside these fixed times: a revision's latency noise (``LatencyNoise``), drawn per answer; and
what a rollout's step does to the candidate's users as time passes since the update that set
its share (``late_factor``, ``cold_start_wait``), decided here from the seconds since then so
that a test can ask about any moment without waiting for it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..behaviour import Behaviour

CANDIDATE_HEALTH_SECONDS = 0.005
CANDIDATE_CACHE_HIT_SECONDS = 0.020
CANDIDATE_CONCEPTS_SECONDS = 0.010
# No single noise delay is longer, so that noise never makes a request time out.
NOISE_CAP_SECONDS = 0.5


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


class LatencyNoise:
    """A revision's latency noise: each call draws the extra seconds of one answer, the
    behaviour's ``latency_noise_seconds`` times a lognormal multiplier (median 1, sigma
    ``latency_noise_sigma``), capped at NOISE_CAP_SECONDS, then times ``slowdown`` (so that a
    slower candidate is slower on the same noise). The generator is seeded per sandbox start
    and revision (``seed``), apart from the one of its errors; no noise, no draw."""

    def __init__(self, behaviour: Behaviour, seed: int) -> None:
        self.base = behaviour.latency_noise_seconds
        self.sigma = behaviour.latency_noise_sigma
        self.factor = behaviour.slowdown
        self._draw = random.Random(f"latency-noise/{seed}")

    def __call__(self) -> float:
        """The extra seconds of the next answer (0 without noise)."""
        if not self.base:
            return 0.0
        multiplier = self._draw.lognormvariate(0.0, self.sigma)
        return min(self.base * multiplier, NOISE_CAP_SECONDS) * self.factor


def late_factor(behaviour: Behaviour, share: int, held_seconds: float) -> float:
    """What the users' read's service time is multiplied by, for a revision that has served
    ``share`` percent of the service URL's traffic for ``held_seconds`` (since the update that
    set it): ``late_user_slowdown`` after ``late_regression_after_seconds`` at a nonzero share,
    else 1."""
    if share > 0 and held_seconds > behaviour.late_regression_after_seconds:
        return behaviour.late_user_slowdown
    return 1.0


def cold_start_wait(behaviour: Behaviour, since_rise: float) -> float:
    """Seconds a request routed to the revision ``since_rise`` seconds after an update raised
    its share waits for its new instance: the rest of ``step_cold_start_seconds`` (0 after
    them, or without ``step_cold_start``)."""
    if not behaviour.step_cold_start or not 0.0 <= since_rise < behaviour.step_cold_start_seconds:
        return 0.0
    return behaviour.step_cold_start_seconds - since_rise
