"""Start and stop the sandbox: real HTTP servers on free 127.0.0.1 ports, in daemon threads.

Threads in the test process, not child processes: nothing can be left behind when a run is
interrupted, and start-up costs milliseconds. The one exception is the team's own service,
which is its own program: it runs as a child process behind the same front end
(``ownservice``), stopped with the sandbox.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import httpx
import uvicorn

from ..model.contract import Contract
from .adminapi import AdminApi, start_admin_api
from .adminstate import ServiceState
from .asgi import ASGIApp
from .deployment import (
    CRASH_SESSION_ID,
    SERVICE,
    SESSION_ID,
    Deployment,
    LogStore,
    plan_deployment,
)
from .faults import Behaviour, behaviour_for
from .frontend import Frontend
from .gcloudenv import GcloudConfig, prepare_gcloud
from .loggingapi import LoggingApi, start_logging_api
from .ownservice import OwnService, OwnServiceSpec, describe
from .proxy import Proxy
from .service import ENABLE_ENV, Fleet, create_app, metrics_enabled, with_instances
from .traffic import Traffic

START_TIMEOUT = 10.0


def bind_loopback() -> socket.socket:
    """A TCP socket bound to a free 127.0.0.1 port.

    IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto says TCP, and
    without it every keep-alive response waits ~40 ms for a delayed ACK.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@dataclass
class Sandbox:
    """A running sandbox: its URLs, its deployment, its logs; ``stop()`` ends every server."""

    deployment: Deployment
    service_url: str
    log: LogStore
    frontend: Frontend
    session_id: str = SESSION_ID
    admin_endpoint: str | None = None
    logging_endpoint: str | None = None
    logging_api: LoggingApi | None = None
    fleet: Fleet | None = None
    traffic: Traffic | None = None
    admin_api: AdminApi | None = None
    own: OwnService | None = None
    _stops: list[Callable[[], None]] = field(default_factory=list)
    _gcloud: GcloudConfig | None = None

    def stop(self) -> None:
        """Stop every server; safe to call twice."""
        while self._stops:
            self._stops.pop()()

    def gcloud(self) -> GcloudConfig:
        """A throwaway gcloud configuration pointed at this sandbox's Admin and Logging APIs
        (prepared once, in a temporary folder that ``stop()`` removes)."""
        if self._gcloud is None:
            if self.admin_endpoint is None or self.logging_endpoint is None:
                raise RuntimeError("the sandbox's APIs are not started")
            self._gcloud = prepare_gcloud(self.admin_endpoint, self.logging_endpoint)
            self._stops.append(self._gcloud.remove)
        return self._gcloud

    def describe(self) -> str:
        """Which service the sandbox runs, for the header and the report."""
        if self.own is None:
            return "the example's reference service"
        return describe(self.own.spec, self.deployment.secrets)

    def requests_served(self) -> Mapping[str, int]:
        """Requests the reference service answered, by ``METHOD /path``."""
        return dict(self.frontend.sent)

    def analyses(self) -> Mapping[str, int]:
        """Analysis calls by kind: ``forced`` and ``unforced`` (a cache hit, once analysed)."""
        return dict(self.fleet.analyses) if self.fleet else {}


def start_sandbox(
    contract: Contract,
    env: Mapping[str, str],
    *,
    faults: tuple[str, ...] = (),
    analysis_seconds: float = 1.0,
    behaviour: Behaviour | None = None,
    own: OwnServiceSpec | None = None,
    service: str = SERVICE,
) -> Sandbox:
    """Start the sandbox deployed as ``env`` (env.yaml) and the contract's secrets and resources
    say, with ``faults`` applied (or an explicit ``behaviour``): the reference service, or with
    ``own`` the team's own service, deployed as ``service``."""
    behaviour = behaviour or behaviour_for(faults)
    revision = contract.revision
    deployment = plan_deployment(
        behaviour, env, revision.secrets, revision.resources, analysis_seconds, service
    )
    sock, tag_sock = bind_loopback(), bind_loopback()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    # A tag URL (https://TAG---SERVICE-HASH.a.run.app on Cloud Run) is a port of its own here.
    tag_url = f"http://127.0.0.1:{tag_sock.getsockname()[1]}"
    deployment = replace(deployment, service_url=url, tag_url=tag_url)
    traffic = Traffic(deployment, tag_port=tag_sock.getsockname()[1])
    log = LogStore(deployment)
    app: ASGIApp
    fleet, service_process = None, None
    if own is None:
        fleet = Fleet(deployment)
        app = with_instances(create_app(deployment, fleet, log), fleet)
    else:
        service_process = OwnService(own, deployment, log)
        app = Proxy(service_process)
    state = ServiceState(deployment, traffic)
    frontend = Frontend(app, deployment, log, traffic, public=state.public)
    sandbox = Sandbox(
        deployment,
        url,
        log,
        frontend,
        session_id=own.rules.test_session if own else SESSION_ID,
        fleet=fleet,
        traffic=traffic,
        own=service_process,
    )
    if service_process is not None:
        sandbox._stops.append(service_process.stop)
    server = uvicorn.Server(
        uvicorn.Config(frontend, log_level="warning", lifespan="off", access_log=False)
    )

    def serve() -> None:
        # Until this runs, the socket is bound but not listening: connections are refused,
        # as while a Cloud Run instance starts.
        time.sleep(behaviour.cold_start_seconds)
        if fleet is not None:
            _startup_lines(deployment, log, fleet)
        server.run(sockets=[sock, tag_sock])

    thread = threading.Thread(target=serve, name="sandbox-service", daemon=True)
    thread.start()

    def stop_service() -> None:
        # force_exit: do not wait for handlers still running (a slow endpoint whose client
        # already timed out), the run is over.
        server.should_exit = True
        server.force_exit = True
        thread.join(timeout=5 + behaviour.cold_start_seconds)
        sock.close()
        tag_sock.close()

    sandbox._stops.append(stop_service)
    _start_apis(sandbox, state)
    if service_process is not None:
        service_process.wait_listening(service_process.spec.rules.start_timeout_seconds)
    if behaviour.cold_start_seconds == 0:
        _wait_started(server, thread)
    if behaviour.server_errors_in_logs and fleet is not None:
        _crash(sandbox, behaviour.server_errors_in_logs)
    return sandbox


def _start_apis(sandbox: Sandbox, state: ServiceState) -> None:
    """The Admin API over ``state`` and the Logging API over the sandbox's log."""
    admin, sandbox.admin_api = start_admin_api(state)
    sandbox._stops.append(admin.stop)
    sandbox.admin_endpoint = admin.url
    logging_server, sandbox.logging_api = start_logging_api(sandbox.log)
    sandbox._stops.append(logging_server.stop)
    sandbox.logging_endpoint = logging_server.url
    # gcloud reaches both APIs through the Admin API's server, as its HTTP proxy (gcloudenv).
    admin.also_answer_for(logging_server)


def _wait_started(server: uvicorn.Server, thread: threading.Thread) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(
                "the sandbox service did not start; run with -p no:cacheprovider -s to see why"
            )
        time.sleep(0.005)


def _startup_lines(deployment: Deployment, log: LogStore, fleet: Fleet) -> None:
    log.output("Started server process; waiting for application startup.")
    if not metrics_enabled(deployment):
        log.output(f"[Metrics] Prometheus metrics disabled (set {ENABLE_ENV}=true to enable)")
    elif deployment.behaviour.startup_lines:
        registered = len(fleet.instances[0].metrics)
        log.output("[Metrics] Prometheus endpoint exposed at /api/metrics")
        log.output(f"[Metrics] {registered} metrics registered")
    log.output("Application startup complete.")


def _crash(sandbox: Sandbox, times: int) -> None:
    """Real requests that the service answers with 500, as a user's would have been."""
    headers = {"User-Agent": "Mozilla/5.0 (a user of the service)"}
    with httpx.Client(
        base_url=sandbox.service_url, timeout=START_TIMEOUT, headers=headers
    ) as client:
        for _ in range(times):
            client.post("/api/memory/analyze", json={"session_id": CRASH_SESSION_ID, "force": True})
