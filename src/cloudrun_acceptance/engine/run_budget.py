"""The worst-case run time of the gate: the sum of its deadlines, stage by stage.

Every wait of the gate has a deadline (a request, a poll, a listing of log entries), so the
whole run has one too, whatever the service does. It is printed in the header, stated in
docs/reference/reports.md for the shipped contract, and the pytest-timeout backstop of each
check is set above it, so that the gate's own deadlines always speak first.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config.settings import Settings
from ..model.contract import Contract
from ..probe.counters import MAX_BASELINE_SCRAPES

# Per stage: the watchdog's grace after each deadline, and the gate's own work.
SLACK_SECONDS = 1.0
# Admin API calls in the worst case: the service, the revision, the newest revision and the
# listing of revisions (or of services, after a 404); each retried up to its own deadline.
ADMIN_CALLS = 4
# Changing traffic: a read and the update, then the operation and the reconcile (up to
# --ready-timeout), read back with the calls above.
UPDATE_CALLS = 2
# Log listings past the logs deadline in the worst case: the last poll for the startup lines and
# the lines shown beside a missing one, the wait for the gate's own requests, the 5xx, the errors.
LOG_LISTINGS = 5
# The comparison's scrapes after its load: the stable revision's exposition and the candidate's.
COMPARE_SCRAPES = 2


@dataclass(frozen=True)
class Budget:
    """Each stage's worst case, in seconds."""

    stages: tuple[tuple[str, float], ...]

    @property
    def total(self) -> float:
        """The worst case of the whole run."""
        return sum(seconds for _, seconds in self.stages)

    def describe(self) -> str:
        """``650 s (Admin API 45, health 61, ...)``."""
        parts = ", ".join(f"{name} {seconds:g}" for name, seconds in self.stages)
        return f"{self.total:g} s ({parts})"


def budget(settings: Settings, contract: Contract, *, service: bool, session: bool) -> Budget:
    """The worst case for these settings and contract; ``service``: the Cloud Run service is
    named (revision and logs checks run); ``session``: the mutating checks run."""
    request = contract.http_timeout
    stages: list[tuple[str, float]] = []
    if service:
        # The Google clients' deadlines: imported only when a service is named.
        from ..google import admin, logs

        call = admin.API_TIMEOUT + admin.RETRY_SECONDS
        # Read until the deploy settles (up to --ready-timeout), each read up to its calls.
        stages.append(("Admin API", settings.ready_timeout + ADMIN_CALLS * call))
    stages.append(("health", settings.ready_timeout + SLACK_SECONDS))
    if contract.metrics is not None:
        stages.append(("metrics", request + SLACK_SECONDS))
    analysis = contract.analysis
    if analysis is not None and session:
        # Baseline scrapes, the calls, the poll for the counters and the scrape that ends it.
        scrapes = MAX_BASELINE_SCRAPES * request + analysis.counter_deadline_seconds + request
        stages.append(("analysis", scrapes + analysis.timeout_seconds + SLACK_SECONDS))
        if contract.cache is not None:
            calls = contract.cache.samples * analysis.timeout_seconds
            stages.append(("cache", scrapes + calls + SLACK_SECONDS))
    if service and settings.tag is not None and contract.compare is not None:
        # The tag added to the stable revision (--baseline-tag); the paired load up to its
        # deadline and the exchanges in flight then; both revisions' expositions after it.
        tagging = UPDATE_CALLS * call + settings.ready_timeout if settings.baseline_tag else 0.0
        load = contract.compare.deadline_seconds + request + COMPARE_SCRAPES * request
        stages.append(("compare", tagging + load + SLACK_SECONDS))
    if service:
        listings = LOG_LISTINGS * logs.API_TIMEOUT
        stages.append(("logs", settings.logs_timeout + listings + SLACK_SECONDS))
    if service and settings.rollout is not None:
        rules = contract.rollout
        steps = len(settings.rollout or rules.steps)
        change = UPDATE_CALLS * call + settings.ready_timeout + ADMIN_CALLS * call
        # A step looks until its bake and holds are over; a slow look delays the next ones,
        # never the end by more than its own read: settling up to logs_timeout, its last read
        # waiting out the read quota (429) up to logs_timeout too.
        bakes = rules.max_step_seconds + 2 * settings.logs_timeout + logs.API_TIMEOUT
        # The read of the traffic before the first step; each step; the rollback after the
        # last one that fails.
        total = logs.API_TIMEOUT + steps * (change + bakes) + change
        stages.append(("rollout", total + SLACK_SECONDS))
    if service and (settings.promote or settings.rollback_on_failure):
        changes = UPDATE_CALLS * call + settings.ready_timeout + ADMIN_CALLS * call
        stages.append(("traffic change", changes + SLACK_SECONDS))
    return Budget(tuple(stages))
