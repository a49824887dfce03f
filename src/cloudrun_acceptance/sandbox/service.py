"""The reference service: a FastAPI app that behaves like the motivating Cloud Run service.

Health, metrics (switched on by its own CONCEPT_RECALL_METRICS_ENABLED, only the string "true" in
any case), and an analysis with a configurable duration and an in-memory cache. Each instance has
its own prometheus_client registry, as each Cloud Run instance has its own process; the cache and
the sessions are shared, as an external store would be.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections import Counter as Tally
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from pydantic import BaseModel

from .asgi import ASGIApp, Receive, Scope, Send
from .deployment import CRASH_SESSION_ID, SESSION_ID, Deployment, LogStore

ENABLE_ENV = "CONCEPT_RECALL_METRICS_ENABLED"
DISABLED_BODY = f"# Metrics disabled. Set {ENABLE_ENV}=true to enable.\n"
# Longer than the shipped contract's request timeout and Prometheus's default scrape_timeout
# (both 10 s): no scrape of a metrics endpoint this slow succeeds.
SLOW_METRICS_SECONDS = 15.0
TRICKLE_INTERVAL_SECONDS = 1.0
# Over the 16 MiB default of http.max_body_bytes.
HUGE_METRICS_BYTES = 24 * 2**20
PROVIDER = "neo_analysis"
SESSIONS: dict[str, list[str]] = {
    SESSION_ID: [
        "We talked about emergence in ant colonies and how local rules create global order.",
        "Then about Conway's game of life, gliders and self-organisation.",
        "The user asked whether markets are an emergent phenomenon.",
        "We compared swarm intelligence in bees with distributed consensus algorithms.",
    ],
    CRASH_SESSION_ID: ["This session makes the analysis provider time out."],
}
_HTML = (
    "<!doctype html><html><head><title>Emergence</title></head>"
    "<body><div id=root></div></body></html>"
)

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

    def __init__(self, deployment: Deployment, started_at: float) -> None:
        behaviour = deployment.behaviour
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
    """The instances behind the service URL, and how a request picks one."""

    deployment: Deployment
    instances: list[Instance] = field(default_factory=list)
    analyses: Tally[str] = field(default_factory=Tally)
    _turn: itertools.count[int] = field(default_factory=itertools.count)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        now = time.time()
        self.instances = [
            Instance(self.deployment, now - 5 + i)
            for i in range(self.deployment.behaviour.instances)
        ]

    def pick(self) -> Instance:
        """Round-robin over the instances; with churn, a new instance every time."""
        with self._lock:
            turn = next(self._turn)
            if self.deployment.behaviour.instance_churn:
                return Instance(self.deployment, time.time() + turn)
            return self.instances[turn % len(self.instances)]


class AnalyzeRequest(BaseModel):
    """The body of POST /api/memory/analyze."""

    session_id: str
    force: bool = False


def with_instances(app: ASGIApp, fleet: Fleet) -> ASGIApp:
    """The app, with each request handed to an instance of the fleet (``request.state``)."""

    async def pick(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope.setdefault("state", {})["instance"] = fleet.pick()
        await app(scope, receive, send)

    return pick


def metrics_enabled(deployment: Deployment) -> bool:
    """The app's rule: only the string "true" (any case) enables metrics."""
    return deployment.env.get(ENABLE_ENV, "").strip().lower() == "true"


def create_app(deployment: Deployment, fleet: Fleet, log: LogStore) -> FastAPI:
    """The reference service's routes, honouring the deployment's behaviour."""
    behaviour = deployment.behaviour
    app = FastAPI(title="reference service", docs_url=None, redoc_url=None, openapi_url=None)
    cache: dict[str, dict[str, Any]] = {}

    def instance(request: Request) -> Instance:
        picked: Instance = request.state.instance
        return picked

    @app.get("/api/health", response_model=None)
    async def health() -> Response | dict[str, Any]:
        if behaviour.health == "503":
            return JSONResponse({"status": "unavailable", "reason": "warming up"}, status_code=503)
        if behaviour.health == "redirect":
            return RedirectResponse("/login", status_code=302)
        return {
            "status": "healthy",
            "revision": deployment.revision,
            "metrics": metrics_enabled(deployment),
        }

    @app.get("/login")
    async def login() -> HTMLResponse:
        return HTMLResponse(_HTML.replace("<div id=root>", "<form>Sign in</form><div id=root>"))

    @app.get("/api/metrics")
    async def metrics(request: Request) -> Response:
        if behaviour.metrics == "html":
            return HTMLResponse(_HTML)
        if behaviour.metrics == "404":
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        if behaviour.metrics == "slow":
            await asyncio.sleep(SLOW_METRICS_SECONDS)
        if behaviour.metrics == "trickle":
            return StreamingResponse(_trickle(), media_type=CONTENT_TYPE_LATEST)
        if behaviour.metrics == "huge":
            return StreamingResponse(_huge(), media_type=CONTENT_TYPE_LATEST)
        if not metrics_enabled(deployment):
            return PlainTextResponse(DISABLED_BODY)
        return Response(generate_latest(instance(request).registry), media_type=CONTENT_TYPE_LATEST)

    @app.post("/api/memory/analyze")
    async def analyze(body: AnalyzeRequest, request: Request) -> JSONResponse:
        served_by = instance(request)
        fleet.analyses["forced" if body.force else "unforced"] += 1
        messages = SESSIONS.get(body.session_id)
        if messages is None:
            return JSONResponse(
                {"detail": f"Session {body.session_id!r} not found"}, status_code=404
            )
        cached = cache.get(body.session_id)
        if cached is not None and not body.force:
            if behaviour.cache == "absent":
                return JSONResponse({"status": "skipped", "reason": "already_analyzed"})
            await asyncio.sleep(behaviour.cache_delay_seconds)
            served_by.count("memory_analysis_cache_hits_total")
            return JSONResponse({**cached, "cached": True})
        served_by.count("memory_analysis_cache_misses_total")
        if body.session_id == CRASH_SESSION_ID or behaviour.analysis_status != 200:
            served_by.count(
                "memory_analysis_failures_total", provider=PROVIDER, reason="provider_error"
            )
            failure = f"Analysis failed for session {body.session_id!r}: provider error"
            log.output(json.dumps({"severity": "ERROR", "message": failure}))
            status = 500 if behaviour.analysis_status == 200 else behaviour.analysis_status
            return JSONResponse({"detail": "Internal Server Error"}, status_code=status)
        served_by.gauge("memory_analysis_in_progress", 1)
        started = time.perf_counter()
        await asyncio.sleep(deployment.analysis_seconds)
        served_by.gauge("memory_analysis_in_progress", 0)
        result = _analyse(body.session_id, messages)
        cache[body.session_id] = result
        served_by.observe(
            "memory_analysis_duration_seconds", time.perf_counter() - started, provider=PROVIDER
        )
        served_by.count("memory_analysis_success_total", provider=PROVIDER)
        served_by.count("memory_analysis_messages_processed_total", len(messages))
        served_by.count("memory_analysis_concepts_extracted_total", len(result["concepts"]))
        served_by.count("memory_analysis_entities_extracted_total", len(result["entities"]))
        served_by.gauge("memory_analysis_cache_size", len(cache))
        return JSONResponse({**result, "cached": False})

    return app


def _analyse(session_id: str, messages: list[str]) -> dict[str, Any]:
    words = {word.strip(".,'?").lower() for message in messages for word in message.split()}
    concepts = sorted(word for word in words if len(word) > 8)
    entities = sorted(
        {word.strip(".,'?") for m in messages for word in m.split() if word[:1].isupper()}
        - {"We", "The", "Then"}
    )
    return {
        "status": "completed",
        "session_id": session_id,
        "concepts": concepts,
        "entities": entities,
        "provider": PROVIDER,
    }


async def _trickle() -> AsyncIterator[bytes]:
    """An exposition that arrives a line per second and never ends."""
    yield b"# HELP trickle_lines_total Lines sent so far.\n# TYPE trickle_lines_total counter\n"
    for line in itertools.count():
        yield f'trickle_lines_total{{line="{line}"}} 1\n'.encode()
        await asyncio.sleep(TRICKLE_INTERVAL_SECONDS)


async def _huge() -> AsyncIterator[bytes]:
    """An exposition of HUGE_METRICS_BYTES, as a label with unbounded values (a user id) makes."""
    head = (
        b"# HELP requests_by_user_total Requests by user.\n# TYPE requests_by_user_total counter\n"
    )
    yield head
    block = b"".join(
        f'requests_by_user_total{{user_id="u{i:07d}"}} 1\n'.encode() for i in range(20_000)
    )
    for _ in range(HUGE_METRICS_BYTES // len(block)):
        yield block
