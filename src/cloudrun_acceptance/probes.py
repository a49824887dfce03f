"""Active observations of the service: a scrape, and counters read around an action.

Counters live per instance. A delta is only computed between two scrapes of the same instance
(same fingerprint). Before the action the metrics are scraped until an instance repeats, so that
every instance behind round-robin has a baseline; after it they are polled, with a growing interval
and never a fixed sleep, until one instance shows every expected increase or the deadline passes
(or, when the action itself failed, once).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from .client import Exchange, ServiceClient
from .contract import CounterRule
from .exposition import (
    PROMETHEUS_CONTENT_TYPES,
    ExpositionError,
    Snapshot,
    media_type,
    parse_exposition,
)

MAX_BASELINE_SCRAPES = 4
MAX_UNKNOWN_SCRAPES = 5

ProblemKind = Literal["unreachable", "status", "content_type", "unparsable", "empty", "untyped"]


@dataclass(frozen=True)
class Scrape:
    """One GET of the metrics path: the exchange, and the snapshot or why there is none."""

    exchange: Exchange
    snapshot: Snapshot | None = None
    problem: ProblemKind | None = None
    detail: str = ""


def scrape(client: ServiceClient, path: str, fingerprint_metric: str) -> Scrape:
    """GET the metrics and parse them; never trust "it parsed" alone."""
    exchange = client.get(path)
    if exchange.error is not None:
        return Scrape(exchange, problem="unreachable", detail=exchange.error)
    if exchange.status != 200:
        return Scrape(exchange, problem="status", detail=f"status {exchange.status}")
    kind = media_type(exchange.content_type)
    if kind not in PROMETHEUS_CONTENT_TYPES:
        return Scrape(exchange, problem="content_type", detail=f"content type {kind or '(none)'}")
    try:
        snapshot = parse_exposition(
            exchange.body,
            exchange.content_type,
            fingerprint_metric=fingerprint_metric,
            scraped_at=exchange.started_at,
        )
    except ExpositionError as err:
        return Scrape(exchange, problem="unparsable", detail=str(err))
    if not snapshot.families:
        return Scrape(exchange, snapshot, problem="empty", detail="no metric family")
    if all(family.type == "unknown" for family in snapshot.families.values()):
        return Scrape(exchange, snapshot, problem="untyped", detail="no family declares a # TYPE")
    return Scrape(exchange, snapshot)


@dataclass(frozen=True)
class Reading:
    """One counter series on one instance, before and after the action."""

    rule: CounterRule
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        """How much it moved; None when it could not be read."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def moved(self) -> bool:
        """True when it increased by at least the expected amount."""
        return self.delta is not None and self.delta >= self.rule.increase_at_least

    def describe(self) -> str:
        """``name{labels}: before 3, after 4 (+1, expected at least +1)``."""
        if self.before is None or self.after is None:
            shown = f"before {_num(self.before)}, after {_num(self.after)}"
            return f"{self.rule.series}: not exposed ({shown})"
        return (
            f"{self.rule.series}: before {_num(self.before)}, after {_num(self.after)} "
            f"({self.delta:+g}, expected at least +{self.rule.increase_at_least:g})"
        )


def _num(value: float | None) -> str:
    return "absent" if value is None else f"{value:g}"


Outcome = Literal["moved", "stuck", "inconclusive", "unreadable"]


@dataclass(frozen=True)
class CounterRun:
    """An action and what the counters did around it."""

    outcome: Outcome
    actions: tuple[Exchange, ...]
    readings: tuple[Reading, ...] = ()
    instance: str | None = None
    instances_seen: int = 0
    scrapes: int = 0
    waited: float = 0.0
    failed_scrape: Scrape | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def readings(
    rules: Sequence[CounterRule], before: Snapshot, after: Snapshot
) -> tuple[Reading, ...]:
    """Each rule's series read in two snapshots of the same instance."""
    return tuple(
        Reading(rule, before.value(rule.metric, rule.labels), after.value(rule.metric, rule.labels))
        for rule in rules
    )


def observe_counters(
    client: ServiceClient,
    *,
    metrics_path: str,
    fingerprint_metric: str,
    rules: Sequence[CounterRule],
    act: Callable[[], Sequence[Exchange]],
    deadline: float,
) -> CounterRun:
    """Scrape baselines, run ``act``, then poll until the counters move on one instance."""

    scrapes = 0

    def take() -> Scrape:
        nonlocal scrapes
        scrapes += 1
        return scrape(client, metrics_path, fingerprint_metric)

    baselines: dict[str | None, Snapshot] = {}
    for _ in range(MAX_BASELINE_SCRAPES):
        taken = take()
        if taken.snapshot is None or taken.problem is not None:
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
    interval = 0.05
    latest: dict[str | None, tuple[Reading, ...]] = {}
    unknown = 0
    failed: Scrape | None = None
    while True:
        taken = take()
        snapshot = taken.snapshot
        if snapshot is None or taken.problem is not None:
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
                )
        else:
            unknown += 1
        waited = time.monotonic() - start
        if waited >= deadline or unknown >= MAX_UNKNOWN_SCRAPES or failed_action:
            break
        time.sleep(min(interval, max(0.0, deadline - waited)))
        interval = min(interval * 2, 0.5)
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
