"""One exchange as it arrives, and the words for what went wrong: the client's bookkeeping."""

from __future__ import annotations

import json as jsonlib
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import httpx

from ..model.exchange import ErrorKind, Exchange, Headers, byte_size, excerpt


class Reading:
    """One exchange as it arrives: the request, the answer's head, the body so far."""

    def __init__(
        self, method: str, url: str, body: str, *, sent_credentials: bool, member: str = ""
    ) -> None:
        self.member = member
        self.method = method
        self.url = url
        self.body = body
        self.sent_credentials = sent_credentials
        self.started_at = time.time()
        self.start = time.perf_counter()
        self.response: httpx.Response | None = None
        self.chunks: list[bytes] = []
        self.received = 0

    def headers(self, response: httpx.Response) -> None:
        self.response = response

    def take(self, chunk: bytes, cap: int) -> bool:
        """Keep the chunk; False once the body is over the cap (reading stops there)."""
        self.received += len(chunk)
        if self.received > cap:
            return False
        self.chunks.append(chunk)
        return True

    def _exchange(self, elapsed: float, **fields: Any) -> Exchange:
        response = self.response
        head: dict[str, Any] = {}
        if response is not None:
            data = b"".join(self.chunks)
            head = {
                "status": response.status_code,
                "reason": response.reason_phrase,
                "content_type": response.headers.get("content-type", ""),
                "location": response.headers.get("location", ""),
                "authenticate": response.headers.get("www-authenticate", ""),
                "body": data.decode(response.encoding or "utf-8", errors="replace"),
                "headers": Headers(response.headers.multi_items()),
            }
        return Exchange(
            self.method,
            self.url,
            **head,
            elapsed=elapsed,
            request_body=self.body,
            started_at=self.started_at,
            sent_credentials=self.sent_credentials,
            member=self.member,
            **fields,
        )

    def answer(self, elapsed: float) -> Exchange:
        return self._exchange(elapsed)

    def failed(self, error: str, kind: ErrorKind = "transport") -> Exchange:
        return self._exchange(time.perf_counter() - self.start, error=error, error_kind=kind)

    def cut_at_deadline(self, limit: float) -> Exchange:
        if self.response is None:
            error = f"no complete answer within {limit:g} s (the request's deadline)"
        else:
            error = (
                f"the body was still arriving after {limit:g} s: {byte_size(self.received)} "
                "received"
            )
        return self._exchange(time.perf_counter() - self.start, error=error, error_kind="deadline")

    def too_large(self, cap: int) -> Exchange:
        elapsed = time.perf_counter() - self.start
        return self._exchange(
            elapsed,
            error=f"the body is over the {byte_size(cap)} limit of http.max_body_bytes "
            f"(reading stopped at {byte_size(self.received)}, after {elapsed:.2f} s)",
            error_kind="too_large",
        )


def sent_body(json: Any, data: Mapping[str, str] | None, content: str | bytes | None) -> str:
    """The request's body as the evidence shows it: JSON with sorted keys, form fields as sent,
    or the start of a raw body."""
    if json is not None:
        return jsonlib.dumps(json, sort_keys=True)
    if data:
        return urlencode(data)
    if content:
        return excerpt(content.decode(errors="replace") if isinstance(content, bytes) else content)
    return ""


def wire_time(marks: Mapping[str, float], start: float, end: float) -> float:
    """Seconds from the first byte of the request sent to the last byte of the answer received.

    From httpcore's trace events, so that the client's own Python work (building the request,
    parsing the answer: about a millisecond) is not counted against the service's budget. A
    transport without trace events gives the whole call.
    """
    sent = marks.get("send_request_headers.started", start)
    received = marks.get("receive_response_body.complete", end)
    return received - sent


def describe_error(err: httpx.HTTPError, timeout: float) -> str:
    """A transport error in words an operator can act on."""
    if isinstance(err, httpx.ConnectTimeout):
        return f"no connection within {timeout:g} s (connect timeout)"
    if isinstance(err, httpx.ReadTimeout):
        return f"no answer within {timeout:g} s (read timeout)"
    if isinstance(err, httpx.TimeoutException):
        return f"timed out after {timeout:g} s ({type(err).__name__})"
    if isinstance(err, httpx.ConnectError):
        return f"connection failed: {err or 'refused'}"
    if isinstance(err, httpx.RemoteProtocolError):
        return f"the server broke the connection: {err}"
    return f"{type(err).__name__}: {err}"
