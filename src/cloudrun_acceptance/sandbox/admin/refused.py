"""What the local Admin API refuses, as Cloud Run refuses it: an HTTP code, a canonical status
and a message, answered alike by both surfaces."""

from __future__ import annotations

from typing import Any

from ..platform.jsonserver import error_body


class Refused(Exception):
    """A request the API refuses: its HTTP code, canonical status and message."""

    def __init__(self, code: int, status: str, message: str) -> None:
        super().__init__(message)
        self.code, self.status, self.message = code, status, message

    def answer(self) -> tuple[int, dict[str, Any]]:
        """The error as the REST APIs answer it."""
        return self.code, error_body(self.code, self.status, self.message)


def denied(permission: str, resource: str) -> Refused:
    """Cloud Run's answer when the identity lacks ``permission``."""
    return Refused(
        403,
        "PERMISSION_DENIED",
        f"Permission '{permission}' denied on resource '{resource}' (or it may not exist).",
    )
