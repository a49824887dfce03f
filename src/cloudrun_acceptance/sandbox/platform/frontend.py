"""The front of the sandbox service, as Cloud Run's is: it sends each request to the revision its
URL leads to (the service URL's largest share, or with split routing a revision drawn by the
shares; a tag's revision), writes the request log under that revision and, for a private service
(one whose IAM policy does not let allUsers invoke it), refuses requests at the IAM front door as
Cloud Run does. A request log entry has, as Cloud Run's, the time the request was received and
its whole latency (a wait for a starting instance included)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from ..reference.servicetimes import cold_start_wait
from .asgi import ASGIApp, Message, Receive, Scope, Send, answer
from .deployment import IDENTITY_TOKEN, Deployment, LogStore
from .traffic import Traffic

# Cloud Run's own page for a request without credentials, as it serves it.
FORBIDDEN_PAGE = """<html><head>
<meta http-equiv="content-type" content="text/html;charset=utf-8">
<title>403 Forbidden</title>
</head>
<body text=#000000 bgcolor=#ffffff>
<h1>Error: Forbidden</h1>
<h2>Your client does not have permission to get URL <code>{path}</code> from this server.</h2>
<h2></h2>
</body></html>
"""
INVALID_TOKEN = (
    'Bearer error="invalid_token" error_description="The access token could not be verified"'
)


class Frontend:
    """ASGI wrapper in front of the service (the reference one, or the team's own behind the
    proxy): the IAM front door of a private service, the routing, and the request log.

    ``revisions``: the app of each live revision, by name; a request that the traffic leads to
    another revision (or every request, without them) is answered by ``app``. Plain ASGI rather
    than BaseHTTPMiddleware, which would add latency to every request.
    """

    def __init__(
        self,
        app: ASGIApp,
        deployment: Deployment,
        log: LogStore,
        traffic: Traffic,
        *,
        public: Callable[[], bool] | None = None,
        revisions: Mapping[str, ASGIApp] | None = None,
    ) -> None:
        self.app = app
        self.revisions = dict(revisions or {})
        # Whether anyone may invoke the service: the Admin API's IAM policy says.
        self.public = public or (lambda: not deployment.behaviour.private)
        self.deployment = deployment
        self.log = log
        self.traffic = traffic
        self.sent: dict[str, int] = {}
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        received = datetime.now(UTC)
        start = time.perf_counter()
        host, port = scope["server"]
        revision = self.traffic.revision_for(port)
        starting = self._instance_start(port, revision)
        recorded = False

        def record() -> None:
            nonlocal recorded
            if recorded:
                return
            recorded = True
            key = f"{scope['method']} {scope['path']}"
            with self._lock:
                self.sent[key] = self.sent.get(key, 0) + 1
            headers = dict(scope.get("headers", []))
            agent = headers.get(b"user-agent", b"").decode("latin-1")
            self.log.request(
                scope["method"],
                f"http://{host}:{port}{scope['path']}",
                status,
                time.perf_counter() - start,
                agent,
                revision=revision,
                when=received,
            )

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                # Logged before the last byte goes out: a client that has the whole answer
                # finds its entry in the log (and its count in ``sent``).
                record()
            await send(message)

        try:
            refusal = self._front_door(scope)
            if refusal is None:
                if starting:  # its new instance is not up yet: the wait is part of its latency
                    await asyncio.sleep(starting)
                app = self.revisions.get(revision, self.app)
                await app(scope, receive, record_status)
            else:
                await answer(record_status, *refusal)
        finally:
            record()  # an answer cut short (the client went away, the app raised)

    def _instance_start(self, port: int, revision: str) -> float:
        """Seconds a request on ``port``, routed to ``revision``, waits for a new instance of
        it: with ``step_cold_start``, the revision under check's requests that the split routes
        (not its tag URL's) just after an update raised its share."""
        behaviour = self.deployment.behaviour
        if not behaviour.step_cold_start or revision != self.deployment.revision:
            return 0.0
        if self.traffic.tagged_revision(port) is not None:
            return 0.0
        return cold_start_wait(behaviour, self.traffic.since_rose(revision))

    def _front_door(self, scope: Scope) -> tuple[int, bytes, list[tuple[bytes, bytes]]] | None:
        """Cloud Run's answer to a request it refuses, or None to let it through."""
        if self.public():
            return None
        headers = dict(scope.get("headers", []))
        given = headers.get(b"authorization", b"").decode("latin-1")
        if given == f"Bearer {IDENTITY_TOKEN}":
            return None
        if given:
            return 401, b"", [(b"www-authenticate", INVALID_TOKEN.encode())]
        page = FORBIDDEN_PAGE.format(path=scope["path"]).encode()
        return 403, page, [(b"content-type", b"text/html; charset=UTF-8")]
