"""Unit-test helpers: a real stdlib HTTP server on loopback, and a prometheus_client registry."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

Answer = tuple[int, dict[str, str], bytes]


@pytest.fixture
def headers_seen() -> list[dict[str, str]]:
    """The headers of every request the ``serve`` servers received, in order."""
    return []


@pytest.fixture
def serve(
    headers_seen: list[dict[str, str]],
) -> Iterator[Callable[[Callable[[str, str], Answer]], str]]:
    """Start a loopback server whose answers come from ``answer(method, path)``; returns its URL."""
    servers: list[ThreadingHTTPServer] = []

    def start(answer: Callable[[str, str], Answer]) -> str:
        class Handler(BaseHTTPRequestHandler):
            disable_nagle_algorithm = True
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _reply(self) -> None:
                headers_seen.append(dict(self.headers.items()))
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                status, headers, body = answer(self.command, self.path)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _reply

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def registry() -> CollectorRegistry:
    """A registry with a labelled counter (one never touched), a gauge, a histogram, a start time."""
    registry = CollectorRegistry()
    success = Counter("analysis_success_total", "Successes", ["provider"], registry=registry)
    success.labels("neo").inc(3)
    success.labels("other").inc(2)
    Counter("analysis_failures_total", "Failures", ["provider", "reason"], registry=registry)
    Gauge("cache_size", "Cache size", registry=registry).set(7)
    Histogram("duration_seconds", "Duration", registry=registry).observe(0.2)
    Gauge("process_start_time_seconds", "Start", registry=registry).set(1700000000.5)
    return registry


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[socket.socket], None]], str]]:
    """A loopback server that hands each connection to ``talk(conn)``, byte by byte if it likes:
    for answers that no well-behaved HTTP server would send (a trickle, a body without end)."""
    listeners: list[socket.socket] = []

    def start(talk: Callable[[socket.socket], None]) -> str:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listeners.append(listener)

        def accept() -> None:
            while True:
                try:
                    conn, _ = listener.accept()
                except OSError:
                    return
                threading.Thread(target=_talk, args=(talk, conn), daemon=True).start()

        threading.Thread(target=accept, daemon=True).start()
        return f"http://127.0.0.1:{listener.getsockname()[1]}"

    yield start
    for listener in listeners:
        listener.close()


def _talk(talk: Callable[[socket.socket], None], conn: socket.socket) -> None:
    with conn, contextlib.suppress(OSError):
        conn.recv(65536)  # the request
        talk(conn)
