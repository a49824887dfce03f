"""The reference service's live revisions: an app per revision that answers requests.

In the candidate flow two revisions are live, as on Cloud Run after ``gcloud run deploy
--no-traffic --tag``: the stable one (the previous revision, where the service URL leads until a
promotion) and the candidate. Each is a reference service of its own: its behaviour and env
(``Deployment.runtime_of``), its instances and their metrics registries, the generator of its
random errors, its startup lines in the log. They share the analyses' cache, as two revisions
of one service share its store. In every other flow the revision under check alone is live, and
answers every request, whatever revision the traffic names (as the sandbox always did).

The front end (``frontend``) sends each request to the app of the revision its port leads to.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..platform.asgi import ASGIApp
from ..platform.deployment import Deployment, LogStore
from ..platform.traffic import Serving, Traffic
from .instances import Fleet, with_instances
from .service import ENABLE_ENV, Running, Store, create_app, metrics_enabled, overloaded


@dataclass(frozen=True)
class LiveRevision:
    """A revision that answers requests: how it runs, its instances, and its app."""

    running: Running
    fleet: Fleet
    app: ASGIApp

    @property
    def name(self) -> str:
        """The revision's name."""
        return self.running.revision


def start_revisions(
    deployment: Deployment, log: LogStore, seed: int, traffic: Traffic | None = None
) -> dict[str, LiveRevision]:
    """The live revisions of ``deployment``, by name, oldest first; ``seed`` (one per sandbox
    start) seeds their random errors and latency noise, each revision's its own; ``traffic``
    tells each the share of the service URL's traffic it serves, and since when (without it,
    every revision serves it all)."""
    store = Store()
    live: dict[str, LiveRevision] = {}
    for index, name in enumerate(deployment.live_revisions):
        runtime = deployment.runtime_of(name)
        behaviour = runtime.behaviour
        running = Running(name, behaviour, runtime.env, deployment.analysis_seconds, seed + index)
        fleet = Fleet(behaviour)
        serving = Serving(name, traffic)
        app = with_instances(create_app(running, fleet, log, store, serving), fleet)
        if behaviour.overload_seconds:
            app = overloaded(app, behaviour.overload_seconds)
        live[name] = LiveRevision(running, fleet, app)
    return live


def log_startup(revision: LiveRevision, log: LogStore) -> None:
    """The lines the revision's app logs as it starts, under its name."""
    running = revision.running

    def say(line: str) -> None:
        log.output(line, revision=running.revision)

    say("Started server process; waiting for application startup.")
    if not metrics_enabled(running.env):
        say(f"[Metrics] Prometheus metrics disabled (set {ENABLE_ENV}=true to enable)")
    elif running.behaviour.startup_lines:
        registered = len(revision.fleet.instances[0].metrics)
        say("[Metrics] Prometheus endpoint exposed at /api/metrics")
        say(f"[Metrics] {registered} metrics registered")
    say("Application startup complete.")
