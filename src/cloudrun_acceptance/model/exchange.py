"""What one request to the service showed: the Exchange, and the wait for the first answer."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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
