"""The rollout profiles: a tagged candidate (as ``tagged_candidate``) under real user traffic,
routed by the traffic's split, for a rollout that moves the candidate's share in steps and
compares its users' requests with the stable revision's in the request log.

Each one starts the service's users (``Behaviour.user_rps``, USER_RPS unless a profile says
otherwise) and routes each request of the service URL by the shares (``split_routing``). The
candidate's faults are on the users' requests only (the users' path, ``/api/concepts``; for
step_cold_start, every request the split routes to it), so that at 0% it passes every check
of the gate, the comparison through its tag URL included. Two of them depend on the time since
the update that set the candidate's share (reference/servicetimes.py: ``late_factor``,
``cold_start_wait``), which a test shortens on the behaviour (``late_regression_after_seconds``,
``step_cold_start_seconds``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..behaviour import Behaviour
from ..reference.servicetimes import CANDIDATE_CONCEPTS_SECONDS
from .fault import Fault

USER_RPS = 150.0
LOW_USER_RPS = 2.0
# The simulated users' rates (platform/simulated.py): a busy service's, and a quiet one's.
BUSY_RPS = 1000.0
BUSIER_RPS = 5000.0
QUIET_RPS = 1.0
# busy_late_regression: what the candidate's users see once it has held its share a minute.
LATE_ERROR_RATE = 0.02
# step_errors: the share of the candidate's users' reads that are 500, from which share of the
# service URL's traffic on.
STEP_ERROR_RATE = 0.03
STEP_ERRORS_FROM_SHARE = 25
STEP_SLOWDOWN = 1.5


def _rollout(behaviour: Behaviour) -> Behaviour:
    """The candidate flow with users routed by the split; a rate another profile set stays."""
    return replace(
        behaviour,
        flow="candidate",
        split_routing=True,
        user_rps=behaviour.user_rps or USER_RPS,
    )


def _simulated(rate: float) -> Callable[[Behaviour], Behaviour]:
    """The candidate flow with users simulated at ``rate`` (none sent), routed by the split."""
    return lambda b: replace(b, flow="candidate", split_routing=True, simulated_rps=rate)


ROLLOUT_FAULTS = (
    Fault(
        "rollout_candidate",
        f"deployed as tagged_candidate, with users: {USER_RPS:g} requests/s at the service URL "
        "(70% GET /api/concepts, 30% health), each routed to a revision drawn by the traffic's "
        "shares; the candidate is good",
        _rollout,
    ),
    Fault(
        "step_errors",
        f"as rollout_candidate; once the candidate serves {STEP_ERRORS_FROM_SHARE}% of the "
        f"service URL's traffic or more, {STEP_ERROR_RATE:.0%} of its users' /api/concepts "
        f"answers are 500 (evenly, one in {round(1 / STEP_ERROR_RATE)}), never its health or the "
        "gate's calls",
        lambda b: replace(
            _rollout(b),
            user_error_rate=STEP_ERROR_RATE,
            user_errors_from_share=STEP_ERRORS_FROM_SHARE,
        ),
    ),
    Fault(
        "step_slow",
        f"as rollout_candidate; the candidate's /api/concepts takes {STEP_SLOWDOWN:g} times as "
        f"long ({CANDIDATE_CONCEPTS_SECONDS * STEP_SLOWDOWN * 1000:g} ms against "
        f"{CANDIDATE_CONCEPTS_SECONDS * 1000:g} ms); its health and cache hits are as fast as "
        "the stable's",
        lambda b: replace(_rollout(b), user_slowdown=STEP_SLOWDOWN),
    ),
    Fault(
        "step_late_regression",
        f"as rollout_candidate; once the candidate has served its current share for more than "
        f"{Behaviour.late_regression_after_seconds:g} s (since the update that set it), its "
        f"/api/concepts takes {STEP_SLOWDOWN:g} times as long, as in step_slow; before that it "
        "is as good as the stable revision",
        lambda b: replace(_rollout(b), late_user_slowdown=STEP_SLOWDOWN),
    ),
    Fault(
        "step_cold_start",
        f"as rollout_candidate; each time an update raises the candidate's share, its users' "
        f"requests received in the next {Behaviour.step_cold_start_seconds:g} s are answered "
        "only once those seconds are over (a new instance starting); otherwise it is as good "
        "as the stable revision",
        lambda b: replace(_rollout(b), step_cold_start=True),
    ),
    Fault(
        "low_traffic",
        f"as rollout_candidate, but the users send {LOW_USER_RPS:g} requests/s: too few for a "
        "step to compare",
        lambda b: _rollout(replace(b, user_rps=LOW_USER_RPS)),
    ),
    Fault(
        "busy",
        f"as tagged_candidate, with {BUSY_RPS:g} users' requests/s simulated (their request "
        "logs and Cloud Monitoring counts written as if sent, routed by the split); the "
        "candidate is good",
        _simulated(BUSY_RPS),
    ),
    Fault(
        "busy_late_regression",
        f"as busy at {BUSIER_RPS:g} requests/s; once the candidate has served its share for "
        f"{Behaviour.late_regression_after_seconds:g} s, its users' answers take "
        f"{STEP_SLOWDOWN:g} times as long and {LATE_ERROR_RATE:.0%} of them are 500",
        lambda b: replace(
            _simulated(BUSIER_RPS)(b),
            late_user_slowdown=STEP_SLOWDOWN,
            late_user_error_rate=LATE_ERROR_RATE,
        ),
    ),
    Fault(
        "busy_cold_start",
        f"as busy at {BUSIER_RPS:g} requests/s; each time an update raises the candidate's "
        f"share, its users' requests of the next {Behaviour.step_cold_start_seconds:g} s wait "
        "for a new instance; otherwise it is as good as the stable revision",
        lambda b: replace(_simulated(BUSIER_RPS)(b), step_cold_start=True),
    ),
    Fault(
        "quiet",
        f"as busy, at {QUIET_RPS:g} users' request/s: too few for a step to decide in its bake",
        _simulated(QUIET_RPS),
    ),
)
