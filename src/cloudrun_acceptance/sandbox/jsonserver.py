"""A small JSON HTTP server on a free loopback port, in a daemon thread: the sandbox's APIs."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Route = Callable[[str, str, Mapping[str, list[str]], Any], tuple[int, Any]]


def error_body(code: int, status: str, message: str) -> dict[str, Any]:
    """A Google API error, as the REST APIs return it."""
    return {"error": {"code": code, "message": message, "status": status}}


class JsonServer:
    """Answers each request with ``route(method, path, query, json_body) -> (status, json)``."""

    def __init__(self, route: Route, name: str) -> None:
        class Handler(BaseHTTPRequestHandler):
            # Without this, each small response waits ~40 ms for a delayed ACK.
            disable_nagle_algorithm = True
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _answer(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    status, payload = 400, error_body(400, "INVALID_ARGUMENT", "body is not JSON")
                else:
                    status, payload = route(self.command, parts.path, parse_qs(parts.query), body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = _answer

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, name=name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
