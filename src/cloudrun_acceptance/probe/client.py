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

from ..model.exchange import Exchange
from ..model.secret import Secret


@dataclass
class ServiceClient:
    """Talks to the service under test. Counts what it sends, and what was answered, per
    method and path: only an answered request can be in the service's request log."""

    base_url: str
    user_agent: str = "cloudrun-acceptance"
    timeout: float = 10.0
    authorization: Secret | None = None
    transport: httpx.BaseTransport | None = None
    sent: Counter[str] = field(default_factory=Counter)
    answered: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        headers = {"User-Agent": self.user_agent}
        if self.authorization is not None:
            headers["Authorization"] = self.authorization.reveal()
        self._http = httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=self.timeout,
            follow_redirects=False,
            transport=self.transport,
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
        url = f"{self.base_url}{path}"
        key = f"{method} {path}"
        self.sent[key] += 1
        limit = self.timeout if timeout is None else timeout
        marks: dict[str, float] = {}

        def trace(event: str, info: Mapping[str, Any]) -> None:
            marks[event.rsplit(".", 2)[-2] + "." + event.rsplit(".", 1)[-1]] = time.perf_counter()

        started_at = time.time()
        start = time.perf_counter()
        try:
            response = self._http.request(
                method, path, json=payload, timeout=limit, extensions={"trace": trace}
            )
        except httpx.HTTPError as err:
            return Exchange(
                method,
                url,
                error=describe_error(err, limit),
                elapsed=time.perf_counter() - start,
                request_json=payload,
                started_at=started_at,
            )
        elapsed = wire_time(marks, start, time.perf_counter())
        self.answered[key] += 1
        return Exchange(
            method,
            url,
            status=response.status_code,
            reason=response.reason_phrase,
            content_type=response.headers.get("content-type", ""),
            location=response.headers.get("location", ""),
            body=response.text,
            elapsed=elapsed,
            request_json=payload,
            started_at=started_at,
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()


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
