"""A wall-clock deadline for one whole exchange: connect, headers and body.

httpx's timeouts bound each network operation, not the exchange: a service that sends its body
a few bytes at a time, each within the read timeout, keeps a request alive for ever. A watchdog
timer shuts the connection's socket down at the deadline, which wakes a read blocked in the
kernel; the client then reports the exchange as cut at its deadline. The socket is the one of
the client's single connection (the client keeps at most one), learned from httpcore's trace
events when the connection is made.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator, Mapping
from typing import Any

# The watchdog fires this long after the deadline, so that httpx's own timeouts (set to the
# deadline) report a silent server first, with their precise words.
GRACE_SECONDS = 0.05


class SocketWatch:
    """Remembers the socket of the client's connection, from the trace events of each request."""

    def __init__(self) -> None:
        self._socket: socket.socket | None = None

    def observe(self, event: str, info: Mapping[str, Any]) -> None:
        """A trace event; a new TCP or TLS stream carries the socket to remember."""
        if event in {"connection.connect_tcp.complete", "connection.start_tls.complete"}:
            stream = info.get("return_value")
            found = stream.get_extra_info("socket") if stream is not None else None
            if isinstance(found, socket.socket):
                self._socket = found

    def cut(self) -> None:
        """Shut the socket down in both directions: a read blocked on it returns at once."""
        sock = self._socket
        if sock is not None:
            with contextlib.suppress(OSError):
                # The plain socket's shutdown, also for a TLS socket: SSLSocket.shutdown would
                # drop its SSL object under the reading thread's feet.
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


@contextlib.contextmanager
def deadline(watch: SocketWatch, seconds: float) -> Iterator[threading.Event]:
    """Within the block, the connection is cut ``seconds`` from now; the event says it was."""
    expired = threading.Event()

    def fire() -> None:
        expired.set()
        watch.cut()

    timer = threading.Timer(seconds + GRACE_SECONDS, fire)
    timer.daemon = True
    timer.start()
    try:
        yield expired
    finally:
        timer.cancel()
