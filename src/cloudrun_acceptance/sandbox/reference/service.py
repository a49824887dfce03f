"""The reference service: a FastAPI app that behaves like the motivating Cloud Run service.

Health, metrics (switched on by its own CONCEPT_RECALL_METRICS_ENABLED, only the string "true" in
any case), an analysis with a configurable duration and an in-memory cache, and the users' read
of concepts (``concepts``), which the gate never calls. One app is one revision (``Running``: its
name, behaviour and env). Each instance has its own prometheus_client registry, as each Cloud Run
instance has its own process; the cache (a ``Store``) and the sessions are shared by the
instances and by the revisions, as an external store would be.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import time
from collections.abc import AsyncIterator, Mapping
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
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from ..behaviour import Behaviour
from ..platform.asgi import ASGIApp, Receive, Scope, Send
from ..platform.deployment import CRASH_SESSION_ID, SESSION_ID, LogStore
from ..platform.traffic import Serving
from .concepts import add_concepts
from .instances import Fleet, Instance
from .servicetimes import LatencyNoise, service_times

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
INTERNAL_ERROR = {"detail": "Internal Server Error"}


@dataclass(frozen=True)
class Running:
    """A revision as its app runs it: its name, behaviour and env, how long an analysis takes,
    and the seed of its errors (``Behaviour.error_rate``) and latency noise."""

    revision: str
    behaviour: Behaviour
    env: Mapping[str, str]
    analysis_seconds: float
    seed: int = 0


@dataclass
class Store:
    """What the service keeps outside its instances (the analyses' cache, by session), shared
    by every instance of every revision, as an external store would be."""

    cache: dict[str, dict[str, Any]] = field(default_factory=dict)


class AnalyzeRequest(BaseModel):
    """The body of POST /api/memory/analyze."""

    session_id: str
    force: bool = False


def overloaded(app: ASGIApp, seconds: float) -> ASGIApp:
    """The app, answering each request ``seconds`` late, as an overloaded service does."""

    async def wait(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await asyncio.sleep(seconds)
        await app(scope, receive, send)

    return wait


async def _pause(seconds: float) -> None:
    """Wait ``seconds`` before answering; no wait at all (not even a turn of the loop) for 0."""
    if seconds:
        await asyncio.sleep(seconds)


def metrics_enabled(env: Mapping[str, str]) -> bool:
    """The app's rule: only the string "true" (any case) enables metrics."""
    return env.get(ENABLE_ENV, "").strip().lower() == "true"


def create_app(
    running: Running,
    fleet: Fleet,
    log: LogStore,
    store: Store,
    serving: Serving | None = None,
) -> FastAPI:
    """The reference service's routes, as the revision ``running`` answers them; ``serving``:
    its share of the service URL's traffic now, and since when (the users' read depends on
    them; without it, all of it, always)."""
    behaviour = running.behaviour
    times = service_times(behaviour, running.analysis_seconds)
    noise = LatencyNoise(behaviour, running.seed)
    fails = _Errors(behaviour.error_rate, running.seed, evenly=behaviour.errors_evenly)
    app = FastAPI(title="reference service", docs_url=None, redoc_url=None, openapi_url=None)
    cache = store.cache

    def instance(request: Request) -> Instance:
        picked: Instance = request.state.instance
        return picked

    @app.get("/api/health", response_model=None)
    async def health() -> Response | dict[str, Any]:
        await _pause(times.health + noise())
        if fails():
            return JSONResponse(INTERNAL_ERROR, status_code=500)
        if behaviour.health == "503":
            return JSONResponse({"status": "unavailable", "reason": "warming up"}, status_code=503)
        if behaviour.health == "redirect":
            return RedirectResponse("/login", status_code=302)
        return {
            "status": "healthy",
            "revision": running.revision,
            "metrics": metrics_enabled(running.env),
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
        if not metrics_enabled(running.env):
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
            await asyncio.sleep(times.cache_hit + noise())
            if fails():
                return JSONResponse(INTERNAL_ERROR, status_code=500)
            served_by.count("memory_analysis_cache_hits_total")
            return JSONResponse({**cached, "cached": True})
        served_by.count("memory_analysis_cache_misses_total")
        if body.session_id == CRASH_SESSION_ID or behaviour.analysis_status != 200:
            served_by.count(
                "memory_analysis_failures_total", provider=PROVIDER, reason="provider_error"
            )
            failure = f"Analysis failed for session {body.session_id!r}: provider error"
            line = json.dumps({"severity": "ERROR", "message": failure})
            log.output(line, revision=running.revision)
            status = 500 if behaviour.analysis_status == 200 else behaviour.analysis_status
            return JSONResponse(INTERNAL_ERROR, status_code=status)
        served_by.gauge("memory_analysis_in_progress", 1)
        started = time.perf_counter()
        await asyncio.sleep(times.analysis)
        served_by.gauge("memory_analysis_in_progress", 0)
        result = _analyse(body.session_id, messages)
        cache[body.session_id] = result
        _count_analysis(served_by, time.perf_counter() - started, len(messages), result)
        served_by.gauge("memory_analysis_cache_size", len(cache))
        return JSONResponse({**result, "cached": False})

    add_concepts(app, running.revision, behaviour, serving or Serving(running.revision))
    return app


class _Errors:
    """A revision's 500s: each answer is one with probability ``rate``, drawn from a generator
    seeded per sandbox start (the launcher's), so that repeated runs differ; or, ``evenly``,
    every (1 / rate)th answer."""

    def __init__(self, rate: float, seed: int, *, evenly: bool = False) -> None:
        self.rate = rate
        self.draw = random.Random(seed)
        self.every = round(1 / rate) if rate and evenly else 0
        self.answers = itertools.count(1)

    def __call__(self) -> bool:
        """Whether this answer is one of them."""
        if self.every:
            return next(self.answers) % self.every == 0
        return bool(self.rate) and self.draw.random() < self.rate


def _count_analysis(
    served_by: Instance, seconds: float, messages: int, result: Mapping[str, Any]
) -> None:
    """The metrics of an analysis that succeeded."""
    served_by.observe("memory_analysis_duration_seconds", seconds, provider=PROVIDER)
    served_by.count("memory_analysis_success_total", provider=PROVIDER)
    served_by.count("memory_analysis_messages_processed_total", messages)
    served_by.count("memory_analysis_concepts_extracted_total", len(result["concepts"]))
    served_by.count("memory_analysis_entities_extracted_total", len(result["entities"]))


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
