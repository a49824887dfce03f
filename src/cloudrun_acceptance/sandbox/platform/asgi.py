"""The ASGI types the sandbox's front end and proxy share, and a whole answer in one call."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
TEXT = [(b"content-type", b"text/plain; charset=utf-8")]


async def answer(
    send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    """Send a whole answer: its status, headers (plain text by default) and body."""
    length = [(b"content-length", str(len(body)).encode())]
    start = TEXT if headers is None else headers
    await send({"type": "http.response.start", "status": status, "headers": start + length})
    await send({"type": "http.response.body", "body": body})
