"""A small JSON HTTP server on a free loopback port, in a daemon thread: the sandbox's APIs.

It also answers as an HTTP proxy: a request line with an absolute URI
(``GET http://europe-west1-127.0.0.1:PORT/apis/... HTTP/1.1``) is routed by its authority, to
another sandbox server registered with ``also_answer_for`` or else to its own route. That is how
gcloud reaches the sandbox: it prefixes the host of an endpoint override with the region, a host
no resolver knows, so its throwaway configuration names this server as its proxy.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

# How often the serving thread looks for a stop: shutdown() waits up to this long (the standard
# library's 0.5 s made every sandbox's stop take a second, for its two APIs).
POLL_SECONDS = 0.02


@dataclass(frozen=True)
class Request:
    """One request as a route sees it: ``host`` is the authority it was sent to (the absolute
    URI's, through the proxy, else the Host header)."""

    method: str
    path: str
    query: Mapping[str, list[str]] = field(default_factory=dict)
    body: Any = None
    host: str = ""


Route = Callable[[Request], tuple[int, Any]]


def error_body(code: int, status: str, message: str) -> dict[str, Any]:
    """A Google API error, as the REST APIs return it."""
    return {"error": {"code": code, "message": message, "status": status}}


class JsonServer:
    """Answers each request with ``route(request) -> (status, json)``."""

    def __init__(self, route: Route, name: str) -> None:
        self.route = route
        self._routes: dict[str, Route] = {}
        routes = self._routes

        class Handler(BaseHTTPRequestHandler):
            # Without this, each small response waits ~40 ms for a delayed ACK.
            disable_nagle_algorithm = True
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _answer(self) -> None:
                parts = urlsplit(self.path)
                host = parts.netloc or self.headers.get("Host", "")
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    status, payload = 400, error_body(400, "INVALID_ARGUMENT", "body is not JSON")
                else:
                    request = Request(
                        self.command, parts.path, parse_qs(parts.query), body, host.lower()
                    )
                    status, payload = routes.get(request.host, route)(request)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _answer

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(POLL_SECONDS,), name=name, daemon=True
        )
        self._thread.start()

    @property
    def authority(self) -> str:
        """``127.0.0.1:PORT``: the host a client names to reach this server."""
        return urlsplit(self.url).netloc

    def also_answer_for(self, other: JsonServer) -> None:
        """Answer requests sent (through this server as a proxy) to ``other`` as it would."""
        self._routes[other.authority] = other.route

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
