"""A stand-in for the Cloud Deploy API, for the real `gcloud deploy apply`: a local HTTP server
that records each request and answers it as the API would, so a test can read the resources
gcloud built from a YAML file without any call to Google.

What gcloud 528 sends, read in its source and confirmed by running it against this server
(googlecloudsdk/api_lib/clouddeploy/deploy.py, DeployClient.CreateResources; target.py,
TargetsClient.Patch): no GET first, but one PATCH per resource with ``allowMissing=true`` (the
pipelines first, then the targets), each answered by a long-running Operation; an Operation
already ``done`` is not polled (client_util.py, OperationsClient.WaitForOperation). Anything
else is answered 404, and recorded, so that a test sees it.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Call:
    """One request gcloud made: its method, path, query and JSON body (None without one)."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    # Each answer in one segment: gcloud's client waits out Nagle's delay on a split answer.
    disable_nagle_algorithm = True
    protocol_version = "HTTP/1.1"

    def do_PATCH(self) -> None:
        call = self._record()
        done = {
            "name": f"{call.path.split('/v1/', 1)[-1].rsplit('/', 2)[0]}/operations/op-"
            f"{len(self.server.calls)}",
            "done": True,
            "response": call.body,
        }
        self._answer(200, done)

    def do_POST(self) -> None:
        self._record()
        self._answer(404, _not_found("POST"))

    def do_GET(self) -> None:
        self._record()
        self._answer(404, _not_found("GET"))

    def do_DELETE(self) -> None:
        self._record()
        self._answer(404, _not_found("DELETE"))

    def _record(self) -> Call:
        where = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        call = Call(
            self.command, where.path, parse_qs(where.query), json.loads(raw) if raw else None
        )
        self.server.calls.append(call)
        return call

    def _answer(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads the recorded calls, not a log."""


def _not_found(method: str) -> dict[str, object]:
    return {"error": {"code": 404, "message": f"no {method} here", "status": "NOT_FOUND"}}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    calls: list[Call]


class FakeCloudDeploy:
    """The server, on 127.0.0.1 at a free port, serving in a thread until closed."""

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.calls = []
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """The endpoint to give gcloud (``api_endpoint_overrides/clouddeploy``)."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    @property
    def calls(self) -> list[Call]:
        """The requests received so far, in order."""
        return list(self._server.calls)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> FakeCloudDeploy:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
