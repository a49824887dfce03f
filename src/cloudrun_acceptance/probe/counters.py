"""Counters read around an action, paired per instance.

Counters live per instance. A delta is only computed between two scrapes of the same instance
(same fingerprint). Before the action the metrics are scraped until an instance repeats, so that
every instance behind round-robin has a baseline; after it they are polled, with a growing interval
and never a fixed sleep, until one instance shows every expected increase or the deadline passes
(or, when the action itself failed, once).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from ..model.contract import CounterRule, MetricsRules
from ..model.exchange import Exchange
from ..model.exposition import Snapshot, counter_hint
from ..model.observations import CounterRun, Outcome, Reading, Scrape
from ..model.polling import Backoff, poll
from .client import ServiceClient
from .scrape import scrape

MAX_BASELINE_SCRAPES = 4
MAX_UNKNOWN_SCRAPES = 5
COUNTER_BACKOFF = Backoff(first=0.05, cap=0.5)


def readings(
    rules: Sequence[CounterRule], before: Snapshot, after: Snapshot
) -> tuple[Reading, ...]:
    """Each rule's series read in two snapshots of the same instance. A family absent before
    the action and present after it was created by it, from 0: client_golang exposes a labelled
    counter only from its first use."""
    return tuple(_reading(rule, before, after) for rule in rules)


def _reading(rule: CounterRule, before: Snapshot, after: Snapshot) -> Reading:
    first = before.value(rule.metric, rule.labels)
    last = after.value(rule.metric, rule.labels)
    if last is None:
        return Reading(rule, first, last, counter_hint(after, rule.metric))
    return Reading(rule, 0.0 if first is None else first, last)


def observe_counters(
    client: ServiceClient,
    *,
    metrics: MetricsRules,
    rules: Sequence[CounterRule],
    act: Callable[[], Sequence[Exchange]],
    deadline: float,
    first: Snapshot | None = None,
) -> CounterRun:
    """Scrape baselines, run ``act``, then poll until the counters move on one instance.

    ``first``: a scrape the caller has just taken, with nothing sent since, which stands for the
    first baseline scrape (one request less before the action)."""

    scrapes = 0

    def take() -> Scrape:
        nonlocal scrapes
        scrapes += 1
        return scrape(client, metrics)

    baselines: dict[str | None, Snapshot] = {} if first is None else {first.fingerprint: first}
    # No fingerprint: one instance assumed, one baseline enough.
    more = 0 if None in baselines else MAX_BASELINE_SCRAPES - len(baselines)
    for _ in range(more):
        taken = take()
        if taken.snapshot is None or not taken.usable:
            return CounterRun("unreadable", (), scrapes=scrapes, failed_scrape=taken)
        fingerprint = taken.snapshot.fingerprint
        if fingerprint in baselines or fingerprint is None:
            baselines.setdefault(fingerprint, taken.snapshot)
            break
        baselines[fingerprint] = taken.snapshot
    actions = tuple(act())
    # A call that did not answer 2xx is judged on its answer: one scrape after it keeps the
    # counters as evidence, and waiting for them to move would only delay that verdict.
    failed_action = not all(action.ok for action in actions)
    start = time.monotonic()
    latest: dict[str | None, tuple[Reading, ...]] = {}
    unknown = 0
    failed: Scrape | None = None
    for _ in poll(start + deadline, COUNTER_BACKOFF):
        taken = take()
        snapshot = taken.snapshot
        if snapshot is None or not taken.usable:
            failed = taken
        elif snapshot.fingerprint in baselines:
            current = readings(rules, baselines[snapshot.fingerprint], snapshot)
            latest[snapshot.fingerprint] = current
            if all(reading.moved for reading in current):
                return CounterRun(
                    "moved",
                    actions,
                    current,
                    instance=snapshot.fingerprint,
                    instances_seen=len(baselines),
                    scrapes=scrapes,
                    waited=time.monotonic() - start,
                    last=snapshot,
                )
        else:
            unknown += 1
        if unknown >= MAX_UNKNOWN_SCRAPES or failed_action:
            break
    waited = time.monotonic() - start
    return _unmoved(
        actions,
        latest,
        instances=len(baselines),
        unknown=unknown,
        scrapes=scrapes,
        waited=waited,
        failed=failed,
    )


def _unmoved(
    actions: tuple[Exchange, ...],
    latest: dict[str | None, tuple[Reading, ...]],
    *,
    instances: int,
    unknown: int,
    scrapes: int,
    waited: float,
    failed: Scrape | None,
) -> CounterRun:
    """The verdict material when no instance showed every increase before the deadline."""
    if not latest and failed is not None:
        return CounterRun(
            "unreadable", actions, scrapes=scrapes, waited=waited, failed_scrape=failed
        )
    notes = []
    if None in latest:
        notes.append("the exposition has no instance fingerprint: assumed one instance")
    if not latest:
        notes.append(
            f"all {unknown} scrapes after the action came from instances without a baseline "
            f"({instances} instance(s) seen before it)"
        )
        return CounterRun(
            "inconclusive",
            actions,
            instances_seen=instances,
            scrapes=scrapes,
            waited=waited,
            notes=tuple(notes),
        )
    instance, current = next(reversed(latest.items()))
    outcome: Outcome = "stuck"
    if unknown:
        outcome = "inconclusive"
        notes.append(f"{unknown} scrape(s) came from instances without a baseline")
    if instances > 1:
        notes.append(f"{instances} instances seen; none showed the increase")
    return CounterRun(
        outcome,
        actions,
        current,
        instance=instance,
        instances_seen=instances,
        scrapes=scrapes,
        waited=waited,
        notes=tuple(notes),
    )
