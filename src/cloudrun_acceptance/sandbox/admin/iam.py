"""The service's IAM policy in the local Admin API: who may invoke it, read and replaced with
its etag as Cloud Run's getIamPolicy and setIamPolicy do; the front door asks ``public``."""

from __future__ import annotations

import base64
import secrets
import threading
from collections.abc import Mapping
from typing import Any

from .refused import Refused

INVOKER = "roles/run.invoker"
ALL_USERS = "allUsers"


class IamPolicy:
    """One service's policy: allUsers as invoker when ``public``, else no binding."""

    def __init__(self, *, public: bool) -> None:
        bindings = [{"role": INVOKER, "members": [ALL_USERS]}] if public else []
        self.policy: dict[str, Any] = {"version": 1, "etag": _etag(), "bindings": bindings}
        self._lock = threading.Lock()

    def get(self) -> dict[str, Any]:
        """The service's IAM policy."""
        with self._lock:
            return dict(self.policy)

    def set(self, policy: Mapping[str, Any]) -> dict[str, Any]:
        """Replace the IAM policy, refused when its etag is not the current one."""
        with self._lock:
            given = policy.get("etag")
            if given and _etag_bytes(str(given)) != _etag_bytes(self.policy["etag"]):
                raise Refused(
                    409,
                    "ABORTED",
                    "There were concurrent policy changes. Please retry the whole "
                    "read-modify-write with exponential backoff.",
                )
            bindings = [dict(b) for b in policy.get("bindings", []) if b.get("members")]
            version = int(policy.get("version") or 1)
            self.policy = {"version": version, "etag": _etag(), "bindings": bindings}
            return dict(self.policy)

    def public(self) -> bool:
        """Whether anyone may invoke the service (allUsers holds roles/run.invoker)."""
        with self._lock:
            bindings = self.policy["bindings"]
        return any(b.get("role") == INVOKER and ALL_USERS in b.get("members", []) for b in bindings)


def _etag() -> str:
    return base64.b64encode(secrets.token_bytes(8)).decode()


def _etag_bytes(etag: str) -> bytes:
    """An IAM etag is bytes in base64, which clients may re-encode URL-safe (gcloud's apitools
    does): compare what it encodes."""
    try:
        return base64.urlsafe_b64decode(etag.replace("+", "-").replace("/", "_"))
    except ValueError:
        return etag.encode()
