"""Start and stop the sandbox: real HTTP servers on free 127.0.0.1 ports, in daemon threads.

Threads in the test process, not child processes: nothing can be left behind when a run is
interrupted, and start-up costs milliseconds. The one exception is the team's own service,
which is its own program: it runs as a child process behind the same front end
(``ownservice``), stopped with the sandbox.

One server answers the service URL and every tag URL (a port each, bound up front); the front
end sends each request to the live revision its port leads to (``liverevisions``). With
``Behaviour.user_rps``, the service's users (``users``) send their requests to the service URL
from the moment it is up until the sandbox stops.
"""

from __future__ import annotations

import secrets
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import httpx
import uvicorn

from ..model.contract import Contract
from ..model.exchange import Permanent
from .admin.api import AdminApi, start_admin_api
from .admin.state import ServiceState
from .faults.profiles import Behaviour, behaviour_for
from .logging.api import LoggingApi, ReadQuota, start_logging_api
from .monitoring.api import MonitoringApi, start_monitoring_api
from .ownservice.process import OwnService, OwnServiceSpec, describe
from .ownservice.proxy import Proxy
from .platform.asgi import ASGIApp
from .platform.deployment import (
    CRASH_SESSION_ID,
    REGION,
    SERVICE,
    SESSION_ID,
    Deployment,
    LogStore,
    loopback_url,
    plan_deployment,
)
from .platform.frontend import Frontend
from .platform.gcloudenv import GcloudConfig, prepare_gcloud
from .platform.simulated import SimulatedUsers
from .platform.traffic import Traffic
from .platform.users import UserTraffic
from .reference.instances import Fleet
from .reference.liverevisions import LiveRevision, log_startup, start_revisions

START_TIMEOUT = 10.0
# Ports bound for tag URLs: the candidate tag's, and a few more for the tags an update adds
# (the gate's baseline tag, gcloud's --set-tags).
TAG_PORTS = 4


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
    # Seeds the live revisions' random errors, the split routing's draws and the users' mix:
    # one per start, so that repeated runs differ.
    seed: int = 0
    admin_endpoint: str | None = None
    logging_endpoint: str | None = None
    logging_api: LoggingApi | None = None
    monitoring_endpoint: str | None = None
    monitoring_api: MonitoringApi | None = None
    # The revision under check's instances; every live revision's by name in ``live``.
    fleet: Fleet | None = None
    live: Mapping[str, LiveRevision] = field(default_factory=dict)
    traffic: Traffic | None = None
    admin_api: AdminApi | None = None
    own: OwnService | None = None
    # The service's users, with Behaviour.user_rps: their counters (sent, failed, statuses).
    users: UserTraffic | None = None
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

    def failure(self) -> Permanent | None:
        """Why the service will never answer (the team's own service exited, or could not
        start), or None: the gate's health wait asks it, and ends at once."""
        return self.own.failure() if self.own is not None else None

    def requests_served(self) -> Mapping[str, int]:
        """Requests the reference service answered, by ``METHOD /path``."""
        return dict(self.frontend.sent)

    def analyses(self) -> Mapping[str, int]:
        """Analysis calls by kind, every live revision's: ``forced`` and ``unforced`` (a cache
        hit, once analysed)."""
        total: dict[str, int] = {}
        for revision in self.live.values():
            for kind, count in revision.fleet.analyses.items():
                total[kind] = total.get(kind, 0) + count
        return total

    def tag_urls(self) -> dict[str, str]:
        """The URL of each tag the service's traffic has now."""
        return self.traffic.tag_urls() if self.traffic else {}

    def url_of(self, revision: str) -> str | None:
        """A URL that leads to ``revision`` now (the service URL, else a tag's), or None."""
        return self.traffic.url_of(revision) if self.traffic else None


def start_sandbox(
    contract: Contract,
    env: Mapping[str, str],
    *,
    faults: tuple[str, ...] = (),
    analysis_seconds: float = 1.0,
    behaviour: Behaviour | None = None,
    own: OwnServiceSpec | None = None,
    service: str = SERVICE,
    region: str = REGION,
    quota: ReadQuota | None = None,
) -> Sandbox:
    """Start the sandbox deployed as ``env`` (env.yaml) and the contract's secrets and resources
    say, with ``faults`` applied (or an explicit ``behaviour``): the reference service, or with
    ``own`` the team's own service, deployed as ``service`` in ``region``. Each start is a
    deployment of its own (its ports, its APIs), so a service in two regions is two starts."""
    behaviour = behaviour or behaviour_for(faults)
    revision = contract.revision
    deployment = plan_deployment(
        behaviour,
        env,
        revision.secrets,
        revision.resources,
        analysis_seconds,
        service,
        region=region,
    )
    sock = bind_loopback()
    # A tag URL (https://TAG---SERVICE-HASH.a.run.app on Cloud Run) is a port of its own here.
    tag_socks = [bind_loopback() for _ in range(TAG_PORTS)]
    tag_ports = tuple(int(tag.getsockname()[1]) for tag in tag_socks)
    url = loopback_url(sock.getsockname()[1])
    deployment = replace(deployment, service_url=url, tag_url=loopback_url(tag_ports[0]))
    seed = secrets.randbits(64)
    traffic = Traffic(deployment, tag_ports=tag_ports, seed=seed)
    log = _log_of(deployment, traffic, seed)
    app: ASGIApp
    live: dict[str, LiveRevision] = {}
    service_process = None
    if own is None:
        live = start_revisions(deployment, log, seed, traffic)
        app = live[deployment.revision].app
    else:
        service_process = OwnService(own, deployment, log)
        app = Proxy(service_process)
    state = ServiceState(deployment, traffic)
    apps = {name: revision.app for name, revision in live.items()}
    frontend = Frontend(app, deployment, log, traffic, public=state.iam.public, revisions=apps)
    sandbox = Sandbox(
        deployment,
        url,
        log,
        frontend,
        session_id=own.rules.test_session if own else SESSION_ID,
        seed=seed,
        fleet=live[deployment.revision].fleet if live else None,
        live=live,
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
        for revision in live.values():
            log_startup(revision, log)
        server.run(sockets=[sock, *tag_socks])

    thread = threading.Thread(target=serve, name="sandbox-service", daemon=True)
    thread.start()

    def stop_service() -> None:
        # force_exit: do not wait for handlers still running (a slow endpoint whose client
        # already timed out), the run is over.
        server.should_exit = True
        server.force_exit = True
        thread.join(timeout=5 + behaviour.cold_start_seconds)
        for bound in (sock, *tag_socks):
            bound.close()

    sandbox._stops.append(stop_service)
    _start_apis(sandbox, state, quota)
    if service_process is not None:
        _wait_own_service(service_process, state)
    if behaviour.cold_start_seconds == 0:
        _wait_started(server, thread)
    if behaviour.server_errors_in_logs and live:
        _crash(sandbox, behaviour.server_errors_in_logs)
    if behaviour.user_rps > 0:
        _start_users(sandbox, behaviour.user_rps)
    return sandbox


def _log_of(deployment: Deployment, traffic: Traffic, seed: int) -> LogStore:
    """The deployment's log, with its simulated users' requests at their rate (if any)."""
    log = LogStore(deployment)
    rate = deployment.behaviour.simulated_rps
    if rate > 0:
        log.simulated = SimulatedUsers(deployment, rate, traffic.splits, seed)
    return log


def _start_users(sandbox: Sandbox, rate: float) -> None:
    """The service's users, sending ``rate`` requests per second to the service URL until the
    sandbox stops (they stop first, before the servers they talk to)."""
    sandbox.users = UserTraffic(sandbox.service_url, rate, sandbox.seed)
    sandbox._stops.append(sandbox.users.stop)
    sandbox.users.start()


def _start_apis(sandbox: Sandbox, state: ServiceState, quota: ReadQuota | None) -> None:
    """The Admin API over ``state``, the Logging and Monitoring APIs over the sandbox's log."""
    admin, sandbox.admin_api = start_admin_api(state)
    sandbox._stops.append(admin.stop)
    sandbox.admin_endpoint = admin.url
    logging_server, sandbox.logging_api = start_logging_api(sandbox.log, quota)
    sandbox._stops.append(logging_server.stop)
    sandbox.logging_endpoint = logging_server.url
    monitoring_server, sandbox.monitoring_api = start_monitoring_api(sandbox.log)
    sandbox._stops.append(monitoring_server.stop)
    sandbox.monitoring_endpoint = monitoring_server.url
    # gcloud reaches the APIs through the Admin API's server, as its HTTP proxy (gcloudenv).
    admin.also_answer_for(logging_server)
    admin.also_answer_for(monitoring_server)


def _wait_own_service(service: OwnService, state: ServiceState) -> None:
    """Until the team's service listens, for up to sandbox.start_timeout_seconds; a service
    that exits first, or never listens, makes its revision not Ready."""
    service.wait_listening(service.spec.rules.start_timeout_seconds)
    if service.failure() is not None:
        state.failed_to_start(state.deployment.revision)


def _wait_started(server: uvicorn.Server, thread: threading.Thread) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(
                "the sandbox service did not start; run with -p no:cacheprovider -s to see why"
            )
        time.sleep(0.005)


def _crash(sandbox: Sandbox, times: int) -> None:
    """Real requests that the revision under check answers with 500, as a user's would have
    been (at its tag URL, in the candidate flow)."""
    headers = {"User-Agent": "Mozilla/5.0 (a user of the service)"}
    url = sandbox.url_of(sandbox.deployment.revision) or sandbox.service_url
    with httpx.Client(base_url=url, timeout=START_TIMEOUT, headers=headers) as client:
        for _ in range(times):
            client.post("/api/memory/analyze", json={"session_id": CRASH_SESSION_ID, "force": True})
