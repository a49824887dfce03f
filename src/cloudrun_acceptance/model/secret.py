"""A secret string (a bearer token) that never prints itself."""

from __future__ import annotations

import base64
import binascii
import json


class Secret:
    """A secret string whose repr and str are masked; ``reveal()`` is the only way to read it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret value, for the one place that must send it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def token_member(authorization: Secret | None) -> str:
    """The IAM member a bearer ID token speaks for (``serviceAccount:EMAIL``, ``user:EMAIL``),
    from its ``email`` claim, unverified: a name for advice, never a proof; "" when the token
    is not a JWT with an email. The token itself is never returned."""
    if authorization is None:
        return ""
    parts = authorization.reveal().removeprefix("Bearer ").split(".")
    if len(parts) != 3:
        return ""
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, binascii.Error):
        return ""
    email = claims.get("email") if isinstance(claims, dict) else None
    if not isinstance(email, str) or "@" not in email:
        return ""
    kind = "serviceAccount" if email.endswith(".gserviceaccount.com") else "user"
    return f"{kind}:{email}"
