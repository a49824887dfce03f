"""The HTTP client of the gate: base URL, auth header, timeouts, and the evidence of each request.

Every request returns an ``Exchange``, never an exception: a refused connection, a timeout or a
redirect is evidence for a failed check (method, URL, status, timing, body excerpt), not a
traceback. Redirects are not followed, because a redirect (to a login page, say) is a finding.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..model.contract import DEFAULT_MAX_BODY_BYTES
from ..model.exchange import Exchange, byte_size
from ..model.secret import Secret
from .deadline import SocketWatch, deadline


@dataclass
class ServiceClient:
    """Talks to the service under test. Counts what it sends, and what was answered, per
    method and path: only an answered request can be in the service's request log.

    Every request has a total deadline (``timeout``, or the one given per request) and every
    body a size cap (``max_body_bytes``); past either, the exchange is cut and says so.
    """

    base_url: str
    user_agent: str = "cloudrun-acceptance"
    timeout: float = 10.0
    authorization: Secret | None = None
    transport: httpx.BaseTransport | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    sent: Counter[str] = field(default_factory=Counter)
    answered: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        headers = {"User-Agent": self.user_agent}
        if self.authorization is not None:
            headers["Authorization"] = self.authorization.reveal()
        self._watch = SocketWatch()
        self._http = httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=self.timeout,
            follow_redirects=False,
            transport=self.transport,
            # One connection: the deadline's watchdog knows which socket to cut, and the cache
            # samples reuse the warm connection of the calls before them.
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        )

    def get(self, path: str, *, timeout: float | None = None) -> Exchange:
        """GET ``path`` relative to the base URL."""
        return self.request("GET", path, timeout=timeout)

    def post(
        self, path: str, payload: Mapping[str, Any], *, timeout: float | None = None
    ) -> Exchange:
        """POST ``payload`` as JSON to ``path``."""
        return self.request("POST", path, payload=payload, timeout=timeout)

    def request(
        self,
        method: str,
        path: str,
        *,
        payload: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Exchange:
        """Send one request; transport errors come back as an Exchange with ``error`` set."""
        key = f"{method} {path}"
        self.sent[key] += 1
        limit = self.timeout if timeout is None else timeout
        marks: dict[str, float] = {}

        def trace(event: str, info: Mapping[str, Any]) -> None:
            marks[event.rsplit(".", 2)[-2] + "." + event.rsplit(".", 1)[-1]] = time.perf_counter()
            self._watch.observe(event, info)

        reading = _Reading(
            method,
            f"{self.base_url}{path}",
            payload,
            sent_credentials=self.authorization is not None,
        )
        with deadline(self._watch, limit) as expired:
            try:
                with self._http.stream(
                    method, path, json=payload, timeout=limit, extensions={"trace": trace}
                ) as response:
                    reading.headers(response)
                    for chunk in response.iter_bytes():
                        if not reading.take(chunk, self.max_body_bytes):
                            break
            except httpx.HTTPError as err:
                if expired.is_set():
                    return reading.cut_at_deadline(limit)
                return reading.failed(describe_error(err, limit))
        if expired.is_set():
            return reading.cut_at_deadline(limit)
        if reading.received > self.max_body_bytes:
            return reading.too_large(self.max_body_bytes)
        self.answered[key] += 1
        return reading.answer(wire_time(marks, reading.start, time.perf_counter()))

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()


class _Reading:
    """One exchange as it arrives: the request, the answer's head, the body so far."""

    def __init__(
        self, method: str, url: str, payload: Mapping[str, Any] | None, *, sent_credentials: bool
    ) -> None:
        self.method = method
        self.url = url
        self.payload = payload
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
            }
        return Exchange(
            self.method,
            self.url,
            **head,
            elapsed=elapsed,
            request_json=self.payload,
            started_at=self.started_at,
            sent_credentials=self.sent_credentials,
            **fields,
        )

    def answer(self, elapsed: float) -> Exchange:
        return self._exchange(elapsed)

    def failed(self, error: str) -> Exchange:
        return self._exchange(time.perf_counter() - self.start, error=error, error_kind="transport")

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
