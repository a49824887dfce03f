"""The HTTP client of the gate: base URL, auth header, timeouts, and the evidence of each request.

Every request returns an ``Exchange``, never an exception: a refused connection, a timeout or a
redirect is evidence for a failed check (method, URL, status, timing, body excerpt), not a
traceback. Redirects are not followed, because a redirect (to a login page, say) is a finding.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from .auth import Secret

EXCERPT_CHARS = 300


@dataclass(frozen=True)
class Exchange:
    """One request and its answer (or the error instead), with its duration in seconds."""

    method: str
    url: str
    status: int | None = None
    reason: str = ""
    content_type: str = ""
    location: str = ""
    body: str = ""
    elapsed: float = 0.0
    error: str | None = None
    request_json: Mapping[str, Any] | None = None
    started_at: float = 0.0

    @property
    def answered(self) -> bool:
        """True when an HTTP answer came back, of any status."""
        return self.status is not None

    @property
    def ok(self) -> bool:
        """True for a 2xx answer."""
        return self.status is not None and 200 <= self.status < 300

    def json(self) -> Any | None:
        """The body as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def excerpt(self, limit: int = EXCERPT_CHARS) -> str:
        """The start of the body, whitespace collapsed, quoted; ``(empty)`` for an empty body."""
        flat = " ".join(self.body.split())
        if not flat:
            return "(empty)"
        return repr(flat if len(flat) <= limit else flat[:limit] + "...")

    def describe(self) -> str:
        """One line: request, then status and timing, or the error."""
        sent = f" {json.dumps(self.request_json, sort_keys=True)}" if self.request_json else ""
        if self.error is not None:
            return f"{self.method} {self.url}{sent} -> {self.error} (after {self.elapsed:.3f} s)"
        kind = f", {self.content_type}" if self.content_type else ""
        moved = f", Location: {self.location}" if self.location else ""
        return (
            f"{self.method} {self.url}{sent} -> {self.status} {self.reason} in "
            f"{self.elapsed:.3f} s{kind}{moved}"
        )

    def evidence(self) -> str:
        """The request line and, when there was an answer, the body excerpt."""
        if self.error is not None:
            return self.describe()
        return f"{self.describe()}\n  body: {self.excerpt()}"


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


@dataclass(frozen=True)
class Readiness:
    """How the wait for the first answer went."""

    ready: bool
    waited: float
    attempts: int
    last: Exchange
    timeout: float

    def summary(self) -> str:
        """One line for messages and the report."""
        attempts = f"{self.attempts} attempt{'s' if self.attempts != 1 else ''}"
        if self.ready:
            return f"first answer after {self.waited:.2f} s ({attempts})"
        return (
            f"no usable answer within the {self.timeout:g} s ready timeout ({attempts}); "
            f"last: {self.last.describe()}"
        )


def wait_until_ready(
    client: ServiceClient, path: str, timeout: float, *, interval: float = 0.2
) -> Readiness:
    """Poll ``path`` until an answer below 500 (and not 429) comes back, or ``timeout`` passes.

    Cloud Run answers 503 or 429 while an instance starts; a refused connection means nothing
    listens yet. Anything else is an answer, which the health check then judges.
    """
    start = time.monotonic()
    attempts = 0
    while True:
        remaining = timeout - (time.monotonic() - start)
        exchange = client.get(path, timeout=max(0.1, min(client.timeout, remaining)))
        attempts += 1
        waited = time.monotonic() - start
        if exchange.status is not None and exchange.status < 500 and exchange.status != 429:
            return Readiness(True, waited, attempts, exchange, timeout)
        if waited + interval >= timeout:
            return Readiness(False, waited, attempts, exchange, timeout)
        time.sleep(interval)
        interval = min(interval * 1.5, 2.0)
