"""The HTTP client of the gate: base URL, auth header, timeouts, and the evidence of each request.

Every request returns an ``Exchange``, never an exception: a refused connection, a timeout or a
redirect is evidence for a failed check (method, URL, status, timing, body excerpt), not a
traceback. Redirects are not followed, because a redirect (to a login page, say) is a finding.
"""

from __future__ import annotations

import ssl
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import httpx

from ..model.contract import DEFAULT_MAX_BODY_BYTES, Contract, RequestSpec
from ..model.exchange import Exchange
from ..model.secret import Secret, token_member
from .deadline import SocketWatch, deadline
from .reading import Reading, describe_error, sent_body, wire_time
from .tls import untrusted_error, verification_error


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
    # When the last whole answer came (wall clock), and how many had come by then.
    last_answer: tuple[float, int] | None = None

    def __post_init__(self) -> None:
        headers = {"User-Agent": self.user_agent}
        if self.authorization is not None:
            headers["Authorization"] = self.authorization.reveal()
        self._watch = SocketWatch()
        self._member = token_member(self.authorization)
        self._http = httpx.Client(
            base_url=self.base_url,
            headers=headers,
            verify=_verify(self.base_url),
            timeout=self.timeout,
            follow_redirects=False,
            transport=self.transport,
            # One connection: the deadline's watchdog knows which socket to cut, and the cache
            # samples reuse the warm connection of the calls before them.
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        )

    @classmethod
    def for_contract(
        cls,
        url: str,
        contract: Contract,
        *,
        user_agent: str,
        authorization: Secret | None = None,
    ) -> ServiceClient:
        """A client of ``url`` with the contract's request deadline and body cap."""
        return cls(
            url,
            user_agent=user_agent,
            timeout=contract.http_timeout,
            max_body_bytes=contract.max_body_bytes,
            authorization=authorization,
        )

    def __repr__(self) -> str:
        return f"<ServiceClient {self.base_url}>"

    def get(
        self,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> Exchange:
        """GET ``path`` relative to the base URL."""
        return self.request("GET", path, params=params, headers=headers, timeout=timeout)

    def post(
        self,
        path: str,
        *,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        content: str | bytes | None = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> Exchange:
        """POST to ``path``: ``json`` as JSON, ``data`` as form fields, or ``content`` as is."""
        return self.request(
            "POST",
            path,
            json=json,
            data=data,
            content=content,
            params=params,
            headers=headers,
            timeout=timeout,
        )

    def send(self, spec: RequestSpec, *, timeout: float | None = None) -> Exchange:
        """The contract's request (its ``{test_session}`` already filled in)."""
        body = spec.body
        return self.request(
            spec.method,
            spec.path,
            params=spec.query,
            headers=spec.headers,
            json=body if spec.body_kind == "json" else None,
            data=body if spec.body_kind == "form" else None,
            content=body if spec.body_kind == "raw" else None,
            timeout=timeout,
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        content: str | bytes | None = None,
        timeout: float | None = None,
    ) -> Exchange:
        """Send one request; transport errors come back as an Exchange with ``error`` set.

        As httpx's ``Client.request``: ``params`` is the query, ``json``, ``data`` (form fields)
        and ``content`` the body. The answer is an Exchange, never an exception.
        """
        key = f"{method} {path}"
        self.sent[key] += 1
        limit = self.timeout if timeout is None else timeout
        marks: dict[str, float] = {}

        def trace(event: str, info: Mapping[str, Any]) -> None:
            marks[event.rsplit(".", 2)[-2] + "." + event.rsplit(".", 1)[-1]] = time.perf_counter()
            self._watch.observe(event, info)

        query = f"?{urlencode(params)}" if params else ""
        reading = Reading(
            method,
            f"{self.base_url}{path}{query}",
            sent_body(json, data, content),
            sent_credentials=self.authorization is not None,
            member=self._member,
        )
        with deadline(self._watch, limit) as expired:
            try:
                with self._http.stream(
                    method,
                    path,
                    params=params,
                    headers=headers,
                    json=json,
                    data=data,
                    content=content,
                    timeout=limit,
                    extensions={"trace": trace},
                ) as response:
                    reading.headers(response)
                    for chunk in response.iter_bytes():
                        if not reading.take(chunk, self.max_body_bytes):
                            break
            except httpx.HTTPError as err:
                if expired.is_set():
                    return reading.cut_at_deadline(limit)
                return self._failed(reading, err, limit)
        if expired.is_set():
            return reading.cut_at_deadline(limit)
        if reading.received > self.max_body_bytes:
            return reading.too_large(self.max_body_bytes)
        self.answered[key] += 1
        self.last_answer = (time.time(), sum(self.answered.values()))
        return reading.answer(wire_time(marks, reading.start, time.perf_counter()))

    def _failed(self, reading: Reading, err: httpx.HTTPError, limit: float) -> Exchange:
        """A transport error; a refused connection after earlier answers says when the service
        last answered (it went away during the run: a crash, a restart, a scale-in). A
        certificate this machine does not trust is an error of its own kind (tls.py)."""
        untrusted = verification_error(err)
        if untrusted is not None:
            return reading.failed(untrusted_error(untrusted), "certificate")
        error = describe_error(err, limit)
        if isinstance(err, httpx.ConnectError) and self.last_answer is not None:
            at, count = self.last_answer
            when = datetime.fromtimestamp(at, UTC).strftime("%H:%M:%S UTC")
            error = (
                f"{error}; the service answered until {when} ({count} "
                f"answer{'s' if count != 1 else ''} to this run), then refused connections"
            )
        return reading.failed(error)

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()


def _verify(base_url: str) -> ssl.SSLContext | bool:
    """httpx's default (certifi's CA bundle, about 40 ms to load) for an https URL; for an
    http one, which never speaks TLS, a context without any CA: it would refuse every
    certificate, so nothing is verified less."""
    if base_url.startswith("https:"):
        return True
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
