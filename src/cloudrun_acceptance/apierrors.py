"""What the Google API clients share here: the error type with advice, and endpoint rules."""

from __future__ import annotations

import re
from typing import Any, TypeVar


class ApiError(Exception):
    """A Google API could not answer: ``summary`` says what happened, ``advice`` what to do."""

    def __init__(self, summary: str, advice: str, status: int | None = None) -> None:
        super().__init__(summary)
        self.summary = summary
        self.advice = advice
        self.status = status


class AdminApiError(ApiError):
    """The Cloud Run Admin API could not describe the service or revision."""


class LoggingApiError(ApiError):
    """The Cloud Logging API could not list the revision's entries."""


E = TypeVar("E", bound=ApiError)


def unreachable(kind: type[E], api: str, endpoint: str, option: str, err: BaseException) -> E:
    """The API's endpoint did not answer at the transport level (refused, DNS, TLS)."""
    return kind(
        f"the {api} at {endpoint} could not be reached ({type(err).__name__})",
        f"check the network and {option}.",
    )


def api_message(err: Any) -> str:
    """The API's message, without the ``GET https://...: `` prefix the REST transports add."""
    return re.sub(r"^[A-Z]+ \S+: ", "", str(getattr(err, "message", None) or err))


def is_local(endpoint: str | None) -> bool:
    """An http:// endpoint (the sandbox, an emulator): called with anonymous credentials."""
    return endpoint is not None and endpoint.startswith("http://")
