"""One table from the Google clients' exceptions to the gate's messages, for both APIs.

api_core raises HTTP-named classes over REST (Forbidden, Unauthorized) and code-named ones over
gRPC (PermissionDenied, Unauthenticated); a refused connection surfaces as a raw ``requests``
error, and a 503 retried past its deadline as ``RetryError``. Each row names the classes it
catches, by name, so this module imports nothing heavy until an error is translated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeVar

from ..model import gcloud
from ..model.errors import ApiError

E = TypeVar("E", bound=ApiError)


@dataclass(frozen=True, kw_only=True)
class ApiCall:
    """What the messages about one call need: the API, what was asked, and how to fix access."""

    api: str
    endpoint: str
    option: str
    permission: str
    resource: str
    project: str
    role: str
    timeout: float
    needs: str = ""
    # The command that shows the service, for advice after a conflict.
    describe: str = "gcloud run services describe"
    # What a 400 rejected (the filter, for Logging), and what to do about it.
    request: str = "request"
    bad_request: str = "read the message above"


@dataclass(frozen=True)
class _Row:
    classes: tuple[str, ...]
    # The HTTP status the error stands for; None: none, or the API's own code when it gives one.
    status: int | None
    summary: str
    advice: str


_GRANT = "grant the gate's identity {role} on project {project}{needs}{grant}."
_CREDENTIALS = (
    "on a workstation run `gcloud auth application-default login`; in CI use a service account "
    "(workload identity federation, or GOOGLE_APPLICATION_CREDENTIALS) with {role} on project "
    "{project}."
)
# First match wins: the specific classes come before their bases.
_TABLE: tuple[_Row, ...] = (
    _Row(
        ("google.auth.exceptions.DefaultCredentialsError",),
        None,
        "no Google credentials to call the {api}",
        _CREDENTIALS,
    ),
    _Row(
        ("google.api_core.exceptions.Forbidden", "google.api_core.exceptions.PermissionDenied"),
        403,
        "the {api} denied {permission} on {resource} (403: {message})",
        _GRANT,
    ),
    _Row(
        ("google.api_core.exceptions.Unauthorized", "google.api_core.exceptions.Unauthenticated"),
        401,
        "the {api} rejected the credentials (401: {message})",
        "refresh them: `gcloud auth application-default login`, or check the CI service "
        "account's key or workload identity binding.",
    ),
    _Row(
        ("google.api_core.exceptions.Conflict",),
        409,
        "the {api} refused {permission} on {resource}: the service changed after the gate read "
        "it (409: {message})",
        "nothing was changed. Another deploy or update came in between: read the service "
        "(`{describe}`) and run the gate again.",
    ),
    _Row(
        ("google.api_core.exceptions.BadRequest",),
        400,
        "the {api} rejected the {request} (400: {message})",
        "{bad_request}",
    ),
    _Row(
        (
            "google.api_core.exceptions.RetryError",
            "google.api_core.exceptions.DeadlineExceeded",
            "google.api_core.exceptions.ServiceUnavailable",
        ),
        None,
        "the {api} at {endpoint} did not answer {permission} successfully within {timeout:g} s "
        "(last: {cause})",
        "retry the gate; if it persists, check https://status.cloud.google.com and {option}.",
    ),
    _Row(
        ("google.api_core.exceptions.GoogleAPICallError",),
        None,
        "the {api} failed {permission}: {code} {message}",
        "retry the gate; if it persists, read the message above (the request was {resource}).",
    ),
    _Row(
        ("requests.exceptions.Timeout",),
        None,
        "the {api} at {endpoint} did not answer within {timeout:g} s",
        "retry the gate; check {option}.",
    ),
    _Row(
        ("requests.exceptions.RequestException", "google.auth.exceptions.TransportError"),
        None,
        "the {api} at {endpoint} could not be reached ({kind})",
        "check the network and {option}.",
    ),
)


def translate(err: BaseException, call: ApiCall, kind: type[E]) -> E | None:
    """The gate's error for ``err``, or None when no row of the table knows it."""
    for row in _TABLE:
        if _is_instance(err, row.classes):
            cause = getattr(err, "cause", None) or err
            code = getattr(err, "code", None)
            values = {
                **vars(call),
                "grant": _grant(call) if "{grant}" in row.advice else "",
                "message": api_message(err),
                "cause": f"{type(cause).__name__}: {api_message(cause)}",
                "code": code if code is not None else "",
                "kind": type(err).__name__,
            }
            status = row.status or (code if isinstance(code, int) else None)
            summary, advice = row.summary.format(**values), row.advice.format(**values)
            return kind(redacted(summary), redacted(advice), status)
    return None


# Credentials an API error's text may carry (a client's message can quote the request): a URL's
# user:password@, a key or token parameter, a bearer token. They stay out of every verdict,
# which goes to the terminal, JUnit and the reports.
_SECRETS = (
    (re.compile(r"(?<=://)[^/\s@]+@"), "***@"),
    (
        re.compile(
            r"(?i)\b((?:api_?)?key|(?:access_|id_)?token|sig|signature|password|secret)="
            r"[^&\s]+"
        ),
        r"\1=***",
    ),
    (re.compile(r"(?i)\bbearer\s+[\w.~+/=-]+"), "Bearer ***"),
)


def redacted(text: str) -> str:
    """``text`` without the credentials an API error's message may carry."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


def _grant(call: ApiCall) -> str:
    """The command that grants the role, when the gate can tell its own identity (a service
    account's Application Default Credentials); else which command, and what it needs."""
    # An http:// endpoint is called anonymously: there is no identity of the gate's to name.
    member = "" if is_local(call.endpoint) else adc_member()
    if member:
        return f": `{gcloud.grant_project_role(call.project, member, call.role)}`"
    return (
        f" (gcloud projects add-iam-policy-binding {call.project} --role={call.role}, with "
        "--member=serviceAccount:EMAIL or user:EMAIL of the identity the gate runs as)"
    )


def adc_member() -> str:
    """``serviceAccount:EMAIL`` of the Application Default Credentials, or "" (a user's, or
    none: they do not name their email without a call)."""
    try:
        import google.auth

        credentials, _ = google.auth.default()
    except Exception:  # no identity to name is an answer here
        return ""
    email = getattr(credentials, "service_account_email", "")
    return f"serviceAccount:{email}" if isinstance(email, str) and "@" in email else ""


def _is_instance(err: BaseException, classes: tuple[str, ...]) -> bool:
    names = {f"{cls.__module__}.{cls.__qualname__}" for cls in type(err).__mro__}
    return any(name in names for name in classes)


def api_message(err: Any) -> str:
    """The API's message, without the ``GET https://...: `` prefix the REST transports add."""
    return re.sub(r"^[A-Z]+ \S+: ", "", str(getattr(err, "message", None) or err))


def is_local(endpoint: str | None) -> bool:
    """An http:// endpoint (the sandbox, an emulator): called with anonymous credentials."""
    return endpoint is not None and endpoint.startswith("http://")


def local_credentials(endpoint: str | None) -> Any:
    """Anonymous credentials for an http:// endpoint; None (Application Default Credentials,
    found by the caller or its library) for any other."""
    if not is_local(endpoint):
        return None
    from google.auth.credentials import AnonymousCredentials

    return AnonymousCredentials()  # type: ignore[no-untyped-call]
