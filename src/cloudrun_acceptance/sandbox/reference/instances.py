"""A revision's instances: each with its own prometheus_client registry and the 13 metrics of
the reference service, as each Cloud Run instance has its own process; and how a request picks
one (round-robin, or a new instance every time with instance_churn)."""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter as Tally
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from ..behaviour import Behaviour
from ..platform.asgi import ASGIApp, Receive, Scope, Send

Metric = Counter | Gauge | Histogram


class Instance:
    """One instance: its own registry, the 13 metrics of the app, and its start time."""

    # name, kind, help, label names
    METRICS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
        (
            "memory_analysis_duration_seconds",
            "histogram",
            "Time spent analysing a session",
            ("provider",),
        ),
        ("memory_analysis_success_total", "counter", "Successful analyses", ("provider",)),
        ("memory_analysis_failures_total", "counter", "Failed analyses", ("provider", "reason")),
        ("memory_analysis_cache_hits_total", "counter", "Analyses answered from the cache", ()),
        ("memory_analysis_cache_misses_total", "counter", "Analyses not in the cache", ()),
        ("memory_analysis_messages_processed_total", "counter", "Messages analysed", ()),
        ("memory_analysis_concepts_extracted_total", "counter", "Concepts extracted", ()),
        ("memory_analysis_entities_extracted_total", "counter", "Entities extracted", ()),
        ("memory_analysis_cache_size", "gauge", "Sessions in the analysis cache", ()),
        ("memory_analysis_in_progress", "gauge", "Analyses running now", ()),
        ("concept_recall_queries_total", "counter", "Concept recall queries", ("outcome",)),
        ("concept_recall_query_duration_seconds", "histogram", "Concept recall query time", ()),
        ("concept_recall_concepts_stored", "gauge", "Concepts in the store", ()),
    )

    def __init__(self, behaviour: Behaviour, started_at: float) -> None:
        self.registry = CollectorRegistry()
        self.metrics: dict[str, Metric] = {}
        self.stuck = behaviour.stuck_counters
        for name, kind, text, labels in self.METRICS:
            if name == behaviour.missing_metric:
                continue
            registered_as = "gauge" if name == behaviour.counter_as_gauge else kind
            cls = {"counter": Counter, "gauge": Gauge, "histogram": Histogram}[registered_as]
            self.metrics[name] = cls(name, text, labels, registry=self.registry)
        start = Gauge(
            "process_start_time_seconds",
            "Start time of the process since unix epoch in seconds.",
            registry=self.registry,
        )
        start.set(started_at)

    def count(self, name: str, amount: float = 1.0, **labels: str) -> None:
        """Increase a counter (or what the fault registered in its place)."""
        metric = self.metrics.get(name)
        if metric is None or self.stuck:
            return
        target = metric.labels(**labels) if labels else metric
        target.inc(amount)  # type: ignore[union-attr]

    def observe(self, name: str, value: float, **labels: str) -> None:
        """Observe a histogram."""
        metric = self.metrics.get(name)
        if isinstance(metric, Histogram):
            (metric.labels(**labels) if labels else metric).observe(value)

    def gauge(self, name: str, value: float) -> None:
        """Set a gauge."""
        metric = self.metrics.get(name)
        if isinstance(metric, Gauge):
            metric.set(value)


@dataclass
class Fleet:
    """The instances of a revision, and how a request picks one."""

    behaviour: Behaviour
    instances: list[Instance] = field(default_factory=list)
    analyses: Tally[str] = field(default_factory=Tally)
    _turn: itertools.count[int] = field(default_factory=itertools.count)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        now = time.time()
        self.instances = [
            Instance(self.behaviour, now - 5 + i) for i in range(self.behaviour.instances)
        ]

    def pick(self) -> Instance:
        """Round-robin over the instances; with churn, a new instance every time."""
        with self._lock:
            turn = next(self._turn)
            if self.behaviour.instance_churn:
                return Instance(self.behaviour, time.time() + turn)
            return self.instances[turn % len(self.instances)]


def with_instances(app: ASGIApp, fleet: Fleet) -> ASGIApp:
    """The app, with each request handed to an instance of the fleet (``request.state``)."""

    async def pick(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope.setdefault("state", {})["instance"] = fleet.pick()
        await app(scope, receive, send)

    return pick
