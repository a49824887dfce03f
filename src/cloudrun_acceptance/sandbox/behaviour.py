"""Every knob of the sandbox deployment, in one value that the fault profiles change.

The defaults describe a good revision. In the candidate flow the stable revision runs a
behaviour of its own (``stable_behaviour``): a good revision's, with what the profiles changed
in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True, kw_only=True)
class Behaviour:
    """Every knob of the sandbox deployment; the defaults describe a good revision."""

    # The reference service.
    metrics: Literal["on", "html", "404", "slow", "trickle", "huge"] = "on"
    missing_metric: str | None = None
    counter_as_gauge: str | None = None
    stuck_counters: bool = False
    cache: Literal["on", "absent"] = "on"
    cache_delay_seconds: float = 0.0
    analysis_status: int = 200
    health: Literal["ok", "503", "redirect"] = "ok"
    cold_start_seconds: float = 0.0
    instances: int = 1
    instance_churn: bool = False
    private: bool = False
    # How the revision answers, beside the candidate flow's stable revision.
    slowdown: float = 1.0  # every service time (reference/servicetimes.py), times this
    error_rate: float = 0.0  # the share of health and cache-hit answers that are 500
    # False: each answer errs at random, with that probability; True: evenly, every
    # (1 / error_rate)th answer, so a few early ones never do (a test can tell them apart).
    errors_evenly: bool = False
    overload_seconds: float = 0.0  # every request of either revision waits this long first
    # Noise on health and cache hits, either revision's (LatencyNoise, in
    # reference/servicetimes.py): each answer also waits this many seconds (0: none) times a
    # lognormal multiplier of median 1 and this sigma, drawn per request; times slowdown, as any
    # service time.
    latency_noise_seconds: float = 0.0
    latency_noise_sigma: float = 0.8
    # The users' path (/api/concepts), which the gate never calls: its service time times
    # this; and the share of its answers that are 500, evenly (every (1 / rate)th), once the
    # revision's share of the service URL's traffic is user_errors_from_share percent or more.
    user_slowdown: float = 1.0
    user_error_rate: float = 0.0
    user_errors_from_share: int = 0
    # A regression that shows late in a step: the users' path's service time also times
    # late_user_slowdown once the revision has served its current nonzero share for more than
    # late_regression_after_seconds (from the update that last changed that share).
    late_user_slowdown: float = 1.0
    late_regression_after_seconds: float = 60.0
    # ... and the share of its users' answers that are 500 then (the simulated users' only).
    late_user_error_rate: float = 0.0
    # An instance starting as the share rises: with step_cold_start, the revision's requests
    # routed by the split within step_cold_start_seconds of an update that raised its share
    # are answered only once that long has passed since the update. (Not cold_start_seconds,
    # which delays the whole service's start.)
    step_cold_start: bool = False
    step_cold_start_seconds: float = 10.0
    # The deployment, as the service sees its env and the Admin API describes it.
    env_changes: Mapping[str, str | None] = field(default_factory=dict)
    secret_version: str | None = None
    traffic_split: bool = False
    # The service URL's requests go to a revision drawn by the traffic's shares (each request
    # its own draw), not all to the largest share.
    split_routing: bool = False
    # Users of the service: requests per second sent to the service URL while the sandbox runs.
    user_rps: float = 0.0
    # Users simulated at this rate (requests per second): their request log entries and request
    # counts are written on demand, never sent (platform/simulated.py), so any rate runs on one
    # machine.
    simulated_rps: float = 0.0
    # "candidate": deployed with --no-traffic --tag candidate, the previous revision serving.
    flow: Literal["direct", "candidate"] = "direct"
    tag: Literal["on_new", "missing", "on_previous"] = "on_new"
    # The candidate flow's stable revision, where it differs from a good one.
    stable_env_changes: Mapping[str, str | None] = field(default_factory=dict)
    stable_resources: Mapping[str, str] = field(default_factory=dict)
    reconcile_seconds: float = 0.0
    served_by_other: bool = False
    update_status: int = 200
    latest_not_ready: bool = False
    admin_api_status: int = 200
    # The logs, and the Logging API.
    startup_lines: bool = True
    server_errors_in_logs: int = 0
    logs_lag_seconds: float = 0.0
    logging_api_status: int = 200
    # The most entries a page of entries:list holds (the API's own most: 1000, or the pageSize
    # asked for), and the project's read quota (entries:list calls a minute; 0: none; Cloud
    # Logging's is 60), shared by every region's Logging API of one project.
    logging_page_limit: int = 1000
    logging_reads_per_minute: int = 0
    # Cloud Monitoring: request_count sampled every this many seconds (Cloud Run: 60), each
    # sample visible this long after its period ends (Cloud Run: up to 180), and the API's answer.
    monitoring_sample_seconds: float = 1.0
    monitoring_delay_seconds: float = 0.0
    monitoring_api_status: int = 200


def stable_behaviour(candidate: Behaviour) -> Behaviour:
    """The candidate flow's stable revision, beside the revision under check (``candidate``): a
    good revision of the same flow under the same load and latency noise, running with the env
    changes the profiles gave it. The candidate's own faults (its slowdown of that noise
    included) are not its; what the platform does (the front door, traffic and its routing, the
    users' requests, the APIs) is read from the candidate's behaviour, never from this one."""
    return Behaviour(
        flow=candidate.flow,
        overload_seconds=candidate.overload_seconds,
        latency_noise_seconds=candidate.latency_noise_seconds,
        latency_noise_sigma=candidate.latency_noise_sigma,
        env_changes=candidate.stable_env_changes,
    )
