"""The noisy comparison profiles: a tagged candidate (as ``tagged_candidate``) whose two
revisions answer the comparison's requests (health and the cached call) with real-looking
latency noise, each answer's drawn on its own (``Behaviour.latency_noise_seconds``), so that a
comparison meets the spread of a real service rather than two near-constant times.
"""

from __future__ import annotations

from dataclasses import replace

from ..behaviour import Behaviour
from ..reference.servicetimes import NOISE_CAP_SECONDS
from .fault import Fault

# A few milliseconds at the median, so that a typical answer stays fast; the sigma of a
# service's latency spread when a tail of slow answers is common.
NOISE_SECONDS = 0.004
NOISE_SIGMA = 0.8
NOISY_SLOWDOWN = 1.3


def _noisy(behaviour: Behaviour) -> Behaviour:
    """The candidate flow, both revisions with the noise."""
    return replace(
        behaviour,
        flow="candidate",
        latency_noise_seconds=NOISE_SECONDS,
        latency_noise_sigma=NOISE_SIGMA,
    )


NOISE_FAULTS = (
    Fault(
        "noisy_pair",
        f"deployed as tagged_candidate; each health and cache-hit answer of either revision "
        f"waits a further {NOISE_SECONDS * 1000:g} ms times its own lognormal draw (median 1, "
        f"sigma {NOISE_SIGMA:g}, at most {NOISE_CAP_SECONDS:g} s); the candidate is as good as "
        "the stable revision",
        _noisy,
    ),
    Fault(
        "noisy_slower",
        f"as noisy_pair; the candidate answers {NOISY_SLOWDOWN - 1:.0%} slower on the same "
        f"noise (every service time and noise delay x{NOISY_SLOWDOWN:g})",
        lambda b: replace(_noisy(b), slowdown=NOISY_SLOWDOWN),
    ),
)
