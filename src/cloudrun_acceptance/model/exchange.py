"""What one request to the service showed: the Exchange, and the wait for the first answer.

An Exchange answers as httpx's Response does where it can (``status_code``, ``headers``, ``text``,
``json()``, ``raise_for_status()``), so a team's own check reads like code it already writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

EXCERPT_CHARS = 300
# Why an exchange has no usable answer: the transport failed (refused, reset, a per-read
# timeout), the server's TLS certificate was not trusted (a transport failure no retry
# changes), the whole exchange outlasted its deadline, or the body outgrew the cap.
ErrorKind = Literal["transport", "certificate", "deadline", "too_large"]
# How Cloud Run's IAM front door refuses a request before it reaches the service: 403 with
# Google's own HTML page (no credentials, or an identity without roles/run.invoker), or 401 with
# ``WWW-Authenticate: Bearer error="invalid_token"`` (a token it cannot accept).
Refusal = Literal["forbidden", "invalid_token"]
_FORBIDDEN_PAGE = ("Error: Forbidden", "does not have permission to get URL")


def byte_size(count: float) -> str:
    """``512 B``, ``4.2 kB``, ``16 MiB``: sizes as the messages give them."""
    if count < 1000:
        return f"{count:g} B"
    if count < 2**20:
        return f"{count / 1000:.1f} kB".replace(".0 kB", " kB")
    return f"{count / 2**20:.1f} MiB".replace(".0 MiB", " MiB")


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of ``text``, whitespace collapsed, quoted; "" for an empty text."""
    flat = " ".join(text.split())
    if not flat:
        return ""
    return repr(flat if len(flat) <= limit else flat[:limit] + "...")


class Headers(Mapping[str, str]):
    """The answer's headers: read-only, names looked up in any case (``headers["Content-Type"]``).
    A header sent more than once keeps its values joined by ``, ``, as httpx gives them."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        joined: dict[str, str] = {}
        for name, value in pairs:
            key = name.lower()
            joined[key] = f"{joined[key]}, {value}" if key in joined else value
        self._values = joined

    def __getitem__(self, name: str) -> str:
        return self._values[name.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Headers({sorted(self._values)})"


class ExchangeError(AssertionError):
    """``raise_for_status()`` on an exchange that is not a whole 2xx answer; the message is the
    exchange's evidence. An AssertionError, so that a check that raises it fails, not errors."""


@dataclass(frozen=True)
class Exchange:
    """One request and its answer (or the error instead), with its duration in seconds.

    ``request_body``: the body sent, as the evidence shows it (JSON, form fields or text).
    ``elapsed``: seconds on the wire, from the first byte sent to the last byte received.
    ``status``, ``body`` and ``content_type`` are documented aliases of httpx's names, kept for
    good: ``status_code``, ``text`` and ``headers["content-type"]``.
    """

    method: str
    url: str
    status: int | None = None
    reason: str = ""
    content_type: str = ""
    location: str = ""
    body: str = ""
    elapsed: float = 0.0
    error: str | None = None
    error_kind: ErrorKind | None = None
    request_body: str = ""
    started_at: float = 0.0
    # The WWW-Authenticate header of the answer, and whether the gate sent credentials: what
    # tells Cloud Run's IAM front door apart from the service's own answers.
    authenticate: str = ""
    sent_credentials: bool = False
    headers: Headers = field(default_factory=Headers)
    # The IAM member the credentials sent speak for, when the token names one (for advice).
    member: str = ""

    def __repr__(self) -> str:
        # Short, as httpx's <Response [200 OK]>: an assert's explanation shows it whole.
        answer = f"{self.status} {self.reason}".strip() if self.status is not None else self.error
        return f"<Exchange {self.method} {self.url} [{answer}]>"

    @property
    def status_code(self) -> int | None:
        """The HTTP status, as httpx names it; None when no answer came back."""
        return self.status

    @property
    def text(self) -> str:
        """The body as text (as far as it was read: see ``error``)."""
        return self.body

    @property
    def answered(self) -> bool:
        """True when an HTTP status came back (the body may still have failed: see ``error``)."""
        return self.status is not None

    @property
    def complete(self) -> bool:
        """True when a whole answer came back, of any status, within the deadline and the cap."""
        return self.status is not None and self.error is None

    @property
    def ok(self) -> bool:
        """True for a whole 2xx answer."""
        return self.complete and self.status is not None and 200 <= self.status < 300

    @property
    def refusal(self) -> Refusal | None:
        """How Cloud Run's IAM front door refused this request, if it did (not the service)."""
        if self.status == 401 and "invalid_token" in self.authenticate.lower():
            return "invalid_token"
        if self.status == 403 and all(mark in self.body for mark in _FORBIDDEN_PAGE):
            return "forbidden"
        return None

    def json(self) -> Any:
        """The body parsed as JSON; ValueError, naming the body, when it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError as err:
            raise ValueError(f"the body is not JSON ({err}): {self.evidence()}") from None

    def json_or_none(self) -> Any | None:
        """The body as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def raise_for_status(self) -> Exchange:
        """This exchange when it is a whole 2xx answer; else ExchangeError with the evidence."""
        if not self.ok:
            raise ExchangeError(f"expected a 2xx answer: {self.evidence()}")
        return self

    def excerpt(self, limit: int = EXCERPT_CHARS) -> str:
        """The start of the body, whitespace collapsed, quoted; ``(empty)`` for an empty body."""
        return excerpt(self.body, limit) or "(empty)"

    def describe(self) -> str:
        """One line: request, then status and timing, or the error."""
        sent = f" {self.request_body}" if self.request_body else ""
        if self.error is not None:
            status = f"{self.status} {self.reason}, then " if self.status is not None else ""
            return (
                f"{self.method} {self.url}{sent} -> {status}{self.error} "
                f"(after {self.elapsed:.3f} s)"
            )
        kind = f", {self.content_type}" if self.content_type else ""
        moved = f", Location: {self.location}" if self.location else ""
        return (
            f"{self.method} {self.url}{sent} -> {self.status} {self.reason} in "
            f"{self.elapsed:.3f} s{kind}{moved}"
        )

    def evidence(self) -> str:
        """The request line and, when there was an answer, the body excerpt."""
        if self.status is None:
            return self.describe()
        return f"{self.describe()}\n  body: {self.excerpt()}"


@dataclass(frozen=True)
class Permanent:
    """Why the service cannot answer, whatever the wait: a cause no retry changes (its process
    exited, its certificate is not trusted here). ``cause`` is one line; ``evidence`` the lines
    that show it (a process's last output); ``advice`` what to do."""

    cause: str
    evidence: tuple[str, ...] = ()
    advice: str = ""


@dataclass(frozen=True)
class Readiness:
    """How the wait for the first answer went; ``permanent`` says why it ended before its
    timeout without an answer."""

    ready: bool
    waited: float
    attempts: int
    last: Exchange
    timeout: float
    permanent: Permanent | None = None

    @property
    def usable(self) -> bool:
        """The service answered, and not with a refusal of Cloud Run's IAM front door."""
        return self.ready and self.last.refusal is None

    def ended(self) -> str:
        """How the wait ended, in words: at once on a permanent cause, else at its timeout."""
        attempts = f"{self.attempts} attempt{'s' if self.attempts != 1 else ''}"
        if self.permanent is not None:
            sent = f"after {self.waited:.2f} s ({attempts})" if self.attempts else "at once"
            return (
                f"the gate stopped waiting {sent}, not at the {self.timeout:g} s ready timeout: "
                "waiting does not change this"
            )
        return f"no usable answer within the {self.timeout:g} s ready timeout ({attempts})"

    def summary(self) -> str:
        """One line for messages and the report."""
        attempts = f"{self.attempts} attempt{'s' if self.attempts != 1 else ''}"
        if self.ready:
            return f"first answer after {self.waited:.2f} s ({attempts})"
        if self.permanent is not None:
            return f"{self.permanent.cause}; the wait ended after {self.waited:.2f} s ({attempts})"
        return (
            f"no usable answer within the {self.timeout:g} s ready timeout ({attempts}); "
            f"last: {self.last.describe()}"
        )
