"""Fault profiles: each turns the sandbox into one kind of broken deployment.

A profile is one entry in ``FAULTS``: a name, a sentence for the fault profiles reference page
(reference/faults.md, which docsgen renders at build time) and the header, and the
``Behaviour`` fields it changes (``behaviour``). Adding a profile is adding an entry (and, for
a new kind of breakage, one field on ``Behaviour`` that the sandbox honours). The region
profiles (``regions``) change which sandboxes start instead, and leave each one's behaviour as
it is.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from ..behaviour import Behaviour, stable_behaviour
from .fault import Fault
from .noise import NOISE_FAULTS
from .regions import REGION_FAULTS
from .rollout import ROLLOUT_FAULTS, USER_RPS

__all__ = ["FAULTS", "USER_RPS", "Behaviour", "Fault", "behaviour_for", "stable_behaviour"]

LOGS_LAG_SECONDS = 5.0
RECONCILE_SECONDS = 2.0
# The candidate flow's comparison profiles.
CANDIDATE_SLOWDOWN = 1.4
CANDIDATE_ERROR_RATE = 0.02
OVERLOAD_SECONDS = 0.5
LOST_METRIC = "memory_analysis_cache_size"
# What the stable revision of candidate_config_changed ran with: an older value of one env.yaml
# key (not the metrics switch), and less memory than the contract's.
STABLE_ENV_CHANGES: Mapping[str, str | None] = {"GOOGLE_ALLOWED_EMAILS": "former@example.com"}
STABLE_RESOURCES: Mapping[str, str] = {"memory": "2Gi"}


def _env(**changes: str | None) -> Callable[[Behaviour], Behaviour]:
    return lambda b: replace(b, env_changes={**b.env_changes, **changes})


FAULTS: Mapping[str, Fault] = {
    fault.name: fault
    for fault in (
        Fault(
            "metrics_disabled",
            "the service runs with CONCEPT_RECALL_METRICS_ENABLED unset: metrics answer the "
            "'Metrics disabled' comment",
            _env(CONCEPT_RECALL_METRICS_ENABLED=None),
        ),
        Fault(
            "metrics_html",
            "the metrics path answers an HTML page with 200",
            lambda b: replace(b, metrics="html"),
        ),
        Fault(
            "metrics_404",
            "the metrics endpoint moved: its path answers 404",
            lambda b: replace(b, metrics="404"),
        ),
        Fault(
            "metrics_slow",
            "the metrics endpoint takes 15 s to answer, longer than any scrape waits",
            lambda b: replace(b, metrics="slow"),
        ),
        Fault(
            "metrics_trickle",
            "the metrics body arrives a line per second and never ends",
            lambda b: replace(b, metrics="trickle"),
        ),
        Fault(
            "metrics_huge",
            "the metrics body is 24 MiB (a series per user id), over the 16 MiB cap",
            lambda b: replace(b, metrics="huge"),
        ),
        Fault(
            "metric_missing",
            "memory_analysis_cache_size is not registered",
            lambda b: replace(b, missing_metric="memory_analysis_cache_size"),
        ),
        Fault(
            "metric_wrong_type",
            "memory_analysis_cache_hits_total is registered as a gauge",
            lambda b: replace(b, counter_as_gauge="memory_analysis_cache_hits_total"),
        ),
        Fault(
            "counter_stuck",
            "the counters never increase",
            lambda b: replace(b, stuck_counters=True),
        ),
        Fault(
            "cache_slow", "a cache hit takes 0.5 s", lambda b: replace(b, cache_delay_seconds=0.5)
        ),
        Fault(
            "cache_absent",
            "no cache: a repeated analysis answers {'status': 'skipped'} and counts no hit",
            lambda b: replace(b, cache="absent"),
        ),
        Fault(
            "analysis_500",
            "the analysis endpoint answers 500",
            lambda b: replace(b, analysis_status=500),
        ),
        Fault("health_503", "health answers 503", lambda b: replace(b, health="503")),
        Fault(
            "private",
            "the service is private: Cloud Run's IAM front door answers 403 without a token and "
            "401 with a wrong one",
            lambda b: replace(b, private=True),
            scope="platform",
        ),
        Fault(
            "health_redirect",
            "health redirects to a login page (302)",
            lambda b: replace(b, health="redirect"),
        ),
        Fault(
            "cold_start",
            "the service accepts connections only after 1.5 s",
            lambda b: replace(b, cold_start_seconds=1.5),
            scope="platform",
        ),
        Fault(
            "round_robin",
            "two instances behind round-robin, with per-instance counters",
            lambda b: replace(b, instances=2),
        ),
        Fault(
            "instance_churn",
            "every request lands on a new instance, so no two scrapes can be compared",
            lambda b: replace(b, instance_churn=True),
        ),
        Fault(
            "env_drift",
            "the revision has CONCEPT_RECALL_METRICS_ENABLED=1, which the service reads as off",
            _env(CONCEPT_RECALL_METRICS_ENABLED="1"),
        ),
        Fault(
            "env_missing",
            "the revision lacks AUTH_DEV_MODE",
            _env(AUTH_DEV_MODE=None),
        ),
        Fault(
            "secret_version",
            "the secrets are mounted at version 4 instead of the pinned one",
            lambda b: replace(b, secret_version="4"),
            scope="platform",
        ),
        Fault(
            "traffic_split",
            "traffic is split 50/50 with the previous revision",
            lambda b: replace(b, traffic_split=True),
            scope="platform",
        ),
        Fault(
            "tagged_candidate",
            "the new revision was deployed with --no-traffic --tag candidate: the previous one "
            "serves 100%, the candidate only at its tag URL",
            lambda b: replace(b, flow="candidate"),
            scope="platform",
        ),
        Fault(
            "candidate_slower",
            f"deployed as tagged_candidate; the candidate answers {CANDIDATE_SLOWDOWN - 1:.0%} "
            f"slower than the stable revision (every service time x{CANDIDATE_SLOWDOWN:g}, health "
            "and cache hits included)",
            lambda b: replace(b, flow="candidate", slowdown=CANDIDATE_SLOWDOWN),
        ),
        Fault(
            "candidate_errors",
            f"deployed as tagged_candidate; {CANDIDATE_ERROR_RATE:.0%} of the candidate's health "
            "and cache-hit answers are 500 (every 50th: the gate's own few checks before the "
            "comparison meet none), the stable revision's none",
            lambda b: replace(
                b, flow="candidate", error_rate=CANDIDATE_ERROR_RATE, errors_evenly=True
            ),
        ),
        Fault(
            "candidate_metric_lost",
            f"deployed as tagged_candidate; the candidate does not register {LOST_METRIC}, "
            "which the stable revision exposes",
            lambda b: replace(b, flow="candidate", missing_metric=LOST_METRIC),
        ),
        Fault(
            "candidate_config_changed",
            "deployed as tagged_candidate; the stable revision runs an older config ("
            + ", ".join(f"{k}={v}" for k, v in STABLE_ENV_CHANGES.items())
            + f", memory {STABLE_RESOURCES['memory']}); the candidate has env.yaml's and the "
            "contract's",
            lambda b: replace(
                b,
                flow="candidate",
                stable_env_changes=STABLE_ENV_CHANGES,
                stable_resources=STABLE_RESOURCES,
            ),
        ),
        Fault(
            "compare_few_samples",
            f"deployed as tagged_candidate; both revisions answer every request after "
            f"{OVERLOAD_SECONDS:g} s (an overloaded service), so a comparison under a short "
            "deadline gets too few samples",
            lambda b: replace(b, flow="candidate", overload_seconds=OVERLOAD_SECONDS),
        ),
        *NOISE_FAULTS,
        *ROLLOUT_FAULTS,
        Fault(
            "tag_missing",
            "deployed with --no-traffic but without a tag: the service has no tag 'candidate'",
            lambda b: replace(b, flow="candidate", tag="missing"),
            scope="platform",
        ),
        Fault(
            "tag_elsewhere",
            "deployed with --no-traffic; the tag 'candidate' still points at the older revision",
            lambda b: replace(b, flow="candidate", tag="on_previous"),
            scope="platform",
        ),
        Fault(
            "reconciling",
            f"the service is still reconciling the deploy for {RECONCILE_SECONDS:g} s, then ready",
            lambda b: replace(b, reconcile_seconds=RECONCILE_SECONDS),
            scope="platform",
        ),
        Fault(
            "stuck_reconciling",
            "the service never finishes reconciling",
            lambda b: replace(b, reconcile_seconds=math.inf),
            scope="platform",
        ),
        Fault(
            "served_by_other",
            "the service URL's requests are answered by the older revision",
            lambda b: replace(b, served_by_other=True),
            scope="platform",
        ),
        Fault(
            "update_conflict",
            "another deployer changes the service between each read and the gate's update (etag)",
            lambda b: replace(b, update_status=409),
            scope="platform",
        ),
        Fault(
            "update_403",
            "the gate's identity may read the service but not update it (run.services.update)",
            lambda b: replace(b, update_status=403),
            scope="platform",
        ),
        Fault(
            "not_ready",
            "the latest created revision failed to become ready",
            lambda b: replace(b, latest_not_ready=True),
            scope="platform",
        ),
        Fault(
            "api_403",
            "the Admin API denies run.services.get",
            lambda b: replace(b, admin_api_status=403),
            scope="platform",
        ),
        Fault(
            "api_404",
            "the Admin API does not know the service",
            lambda b: replace(b, admin_api_status=404),
            scope="platform",
        ),
        Fault(
            "no_startup_lines",
            "the service does not log its [Metrics] startup lines",
            lambda b: replace(b, startup_lines=False),
        ),
        Fault(
            "errors_in_logs",
            "the service answered a request of this revision with 500",
            lambda b: replace(b, server_errors_in_logs=1),
        ),
        Fault(
            "error_burst",
            "the service answered 25 requests of this revision with 500, and the Logging API "
            "pages by 10 (several log pages)",
            lambda b: replace(b, server_errors_in_logs=25, logging_page_limit=10),
        ),
        Fault(
            "logs_lag",
            f"Cloud Logging shows each entry {LOGS_LAG_SECONDS:g} s after it was written, as "
            "ingestion lags in production",
            lambda b: replace(b, logs_lag_seconds=LOGS_LAG_SECONDS),
            scope="platform",
        ),
        Fault(
            "logging_403",
            "the Logging API denies logging.logEntries.list",
            lambda b: replace(b, logging_api_status=403),
            scope="platform",
        ),
        *REGION_FAULTS,
    )
}


def behaviour_for(names: Iterable[str]) -> Behaviour:
    """The sandbox behaviour with the named faults applied, in order."""
    behaviour = Behaviour()
    for name in names:
        behaviour = FAULTS[name].apply(behaviour)
    return behaviour
