"""The service's address from one plain REST read of the Admin API, before google-cloud-run is
loaded.

The URL is all that the service checks need, and google-cloud-run's import alone takes about a
third of a second. Read with the gate's own HTTP client, the URL lets the forced analysis start
while that import, and the full read through the library, run beside its wait (engine/first_read.py
sends the request; this module builds it and reads the answer). The read is best effort: an
error, a deploy caught half-way, or a revision whose readiness the service alone does not show
gives None, and the full read resolves the target as before. Everything the checks judge comes
from that full read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..model.secret import Secret
from ..model.service import ServiceAddress, ServiceRef
from .convert import short_name
from .errors import local_credentials

DEFAULT_ENDPOINT = "run.googleapis.com"
LATEST = "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST"
SCOPES = ("https://www.googleapis.com/auth/cloud-platform",)


def endpoint_base(endpoint: str | None) -> str:
    """The Admin API's base URL (``https://`` unless the endpoint names its scheme)."""
    base = endpoint or DEFAULT_ENDPOINT
    return base if "://" in base else f"https://{base}"


def service_path(ref: ServiceRef) -> str:
    """The v2 REST path of the service."""
    return f"/v2/{ref.name}"


@dataclass(frozen=True)
class AdminCredentials:
    """The credentials the Admin API clients use (given to google-cloud-run too, so that one
    token serves both reads), and the headers of a plain REST request made with them."""

    credentials: Any
    authorization: Secret | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


def credentials_for(endpoint: str | None) -> AdminCredentials | None:
    """Anonymous credentials for an http:// endpoint (the sandbox, an emulator); else
    Application Default Credentials, refreshed now. None when they cannot be had: the
    library then reports why, with the fix."""
    anonymous = local_credentials(endpoint)
    if anonymous is not None:
        return AdminCredentials(anonymous)
    import google.auth
    from google.auth.exceptions import GoogleAuthError
    from google.auth.transport.requests import Request

    try:
        credentials, _ = google.auth.default(scopes=SCOPES)
        credentials.refresh(Request())  # type: ignore[no-untyped-call]
    except GoogleAuthError:
        return None
    quota = getattr(credentials, "quota_project_id", None)
    return AdminCredentials(
        credentials,
        Secret(f"Bearer {credentials.token}"),
        {"x-goog-user-project": quota} if quota else {},
    )


def address_of(body: object, *, revision: str | None, tag: str | None) -> ServiceAddress | None:
    """The address of the revision under check in a v2 Service's JSON, or None when the answer
    cannot tell it for sure: the service still reconciling, a revision other than the latest
    ready one (whose readiness only the revision itself shows), a tag missing or without URL."""
    if not isinstance(body, Mapping) or body.get("reconciling"):
        return None
    try:
        if int(body.get("observedGeneration", 0)) < int(body.get("generation", 0)):
            return None
    except (TypeError, ValueError):
        return None
    ready = short_name(str(body.get("latestReadyRevision", "")))
    created = short_name(str(body.get("latestCreatedRevision", "")))
    if not ready:
        return None
    if not tag:
        url = str(body.get("uri", ""))
        return ServiceAddress(url, ready) if url and revision in {None, ready} else None
    rows = body.get("trafficStatuses", [])
    row = (
        next(
            (r for r in rows if isinstance(r, Mapping) and r.get("tag") == tag),
            None,
        )
        if isinstance(rows, list)
        else None
    )
    if row is None or not row.get("uri"):
        return None
    # A tag on the LATEST target names no revision: it follows the latest ready one.
    pointed = short_name(str(row.get("revision") or (ready if row.get("type") == LATEST else "")))
    expected = revision or created
    if pointed != expected or pointed != ready:
        return None
    return ServiceAddress(str(row["uri"]), pointed, tag)
