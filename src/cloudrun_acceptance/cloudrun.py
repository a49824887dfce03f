"""The Cloud Run Admin API, through the real google-cloud-run client: the service and revision.

google-cloud-run is imported inside ``describe_service`` only, so a run that checks just a URL
never loads it. The client talks REST (gRPC against an http:// endpoint would hang); an http://
endpoint (the sandbox, an emulator) gets anonymous credentials, anything else Application Default
Credentials. Results are plain frozen dataclasses: no protobuf leaves this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .apierrors import AdminApiError, api_message, is_local, unreachable
from .settings import ServiceRef

API_TIMEOUT = 10.0
RETRY_SECONDS = 5.0
VIEWER_ROLE = "roles/run.viewer"


@dataclass(frozen=True)
class SecretMount:
    """An env var filled from Secret Manager: the secret's short name and its version."""

    secret: str
    version: str

    def __str__(self) -> str:
        return f"{self.secret}:{self.version}"


@dataclass(frozen=True)
class TrafficRow:
    """One line of the service's traffic status."""

    revision: str
    percent: int
    latest: bool = False
    tag: str = ""

    def __str__(self) -> str:
        latest = " (LATEST)" if self.latest else ""
        tag = f" tag={self.tag}" if self.tag else ""
        return f"{self.percent:>3}% -> {self.revision}{latest}{tag}"


@dataclass(frozen=True)
class RevisionFacts:
    """A revision as deployed. Env values of secrets are never read: only their references."""

    name: str
    created: datetime | None = None
    ready: bool | None = None
    ready_reason: str = ""
    ready_message: str = ""
    image: str = ""
    env: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, SecretMount] = field(default_factory=dict)
    resources: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ServiceFacts:
    """The service, the revision under check, and the latest created one when it differs."""

    ref: ServiceRef
    uri: str
    urls: tuple[str, ...]
    latest_ready: str
    latest_created: str
    traffic: tuple[TrafficRow, ...]
    revision: RevisionFacts
    pinned: bool = False
    newest: RevisionFacts | None = None

    def share_of(self, revision: str) -> int:
        """The percentage of traffic the revision serves."""
        return sum(row.percent for row in self.traffic if row.revision == revision)


def short_name(resource: str) -> str:
    """``projects/p/.../revisions/x`` -> ``x``; a short name stays as it is."""
    return resource.rsplit("/", 1)[-1]


def secret_name(reference: str) -> str:
    """A secret given as ``NAME`` or ``projects/N/secrets/NAME``: both are ``NAME``."""
    return reference.split("/secrets/", 1)[-1].split("/", 1)[0]


_QUANTITY = re.compile(r"^([0-9.]+)([A-Za-z]*)$")
_MULTIPLIERS = {
    "": 1,
    "m": 1e-3,
    "k": 1e3,
    "M": 1e6,
    "G": 1e9,
    "T": 1e12,
    "Ki": 2**10,
    "Mi": 2**20,
    "Gi": 2**30,
    "Ti": 2**40,
}


def same_quantity(expected: str, actual: str) -> bool:
    """Resource quantities compare by value: ``2`` is ``2000m``, ``4Gi`` is ``4096Mi``."""
    if expected.strip() == actual.strip():
        return True
    left, right = _QUANTITY.match(expected.strip()), _QUANTITY.match(actual.strip())
    if not left or not right or left[2] not in _MULTIPLIERS or right[2] not in _MULTIPLIERS:
        return False
    return float(left[1]) * _MULTIPLIERS[left[2]] == float(right[1]) * _MULTIPLIERS[right[2]]


def describe_service(
    ref: ServiceRef,
    *,
    endpoint: str | None,
    revision: str | None = None,
    timeout: float = API_TIMEOUT,
) -> ServiceFacts:
    """Read the service and its revision; raise AdminApiError with the fix when that fails."""
    api = _Api(ref, endpoint, timeout)
    service = api.call("run.services.get", api.services.get_service, name=ref.name)
    latest_ready = short_name(service.latest_ready_revision)
    latest_created = short_name(service.latest_created_revision)
    checked = revision or latest_ready
    if not checked:
        raise AdminApiError(
            f"service {ref.service} has no ready revision",
            "the first deploy did not succeed; see gcloud run services describe "
            f"{ref.service} --region {ref.region} --project {ref.project}.",
        )
    facts = _revision(
        api.call(
            "run.revisions.get", api.revisions.get_revision, name=f"{ref.name}/revisions/{checked}"
        )
    )
    newest = None
    if latest_created and latest_created not in {checked, latest_ready}:
        newest = _revision(
            api.call(
                "run.revisions.get",
                api.revisions.get_revision,
                name=f"{ref.name}/revisions/{latest_created}",
            )
        )
    return ServiceFacts(
        ref=ref,
        uri=service.uri,
        urls=tuple(service.urls),
        latest_ready=latest_ready,
        latest_created=latest_created,
        traffic=tuple(_traffic_row(row, latest_ready) for row in service.traffic_statuses),
        revision=facts,
        pinned=revision is not None,
        newest=newest,
    )


class _Api:
    """The two REST clients, and the translation of their errors into advice."""

    def __init__(self, ref: ServiceRef, endpoint: str | None, timeout: float) -> None:
        import google.auth.exceptions
        from google.api_core import exceptions
        from google.api_core import retry as retries
        from google.api_core.client_options import ClientOptions
        from google.auth.credentials import AnonymousCredentials
        from google.cloud import run_v2

        self.ref = ref
        self.endpoint = endpoint or "run.googleapis.com"
        self.timeout = timeout
        # Retry only answers that say "try again", briefly. api_core's default also retries a
        # refused connection, which only delays the failure an operator needs to see.
        self.retry = retries.Retry(
            predicate=retries.if_exception_type(
                exceptions.ServiceUnavailable,
                exceptions.TooManyRequests,
                exceptions.InternalServerError,
            ),
            initial=0.2,
            maximum=1.0,
            multiplier=2.0,
            timeout=min(timeout, RETRY_SECONDS),
        )
        options = ClientOptions(api_endpoint=endpoint) if endpoint else None
        credentials = AnonymousCredentials() if is_local(endpoint) else None  # type: ignore[no-untyped-call]
        try:
            self.services = run_v2.ServicesClient(
                transport="rest", client_options=options, credentials=credentials
            )
            self.revisions = run_v2.RevisionsClient(
                transport="rest", client_options=options, credentials=credentials
            )
        except google.auth.exceptions.DefaultCredentialsError as err:
            raise AdminApiError(
                "no Google credentials to call the Cloud Run Admin API",
                "on a workstation run `gcloud auth application-default login`; in CI use a service "
                "account (workload identity federation, or GOOGLE_APPLICATION_CREDENTIALS) with "
                f"{VIEWER_ROLE} on project {ref.project}.",
            ) from err

    def call(self, permission: str, method: Any, **request: Any) -> Any:
        import google.auth.exceptions
        import requests
        from google.api_core import exceptions

        try:
            return method(request=request, retry=self.retry, timeout=self.timeout)
        # Over REST, api_core raises the HTTP-named classes (Forbidden, Unauthorized); over gRPC
        # the code-named ones (PermissionDenied, Unauthenticated).
        except (exceptions.Forbidden, exceptions.PermissionDenied) as err:
            raise AdminApiError(
                f"the Cloud Run Admin API denied {permission} on {self.ref.name} "
                f"(403: {api_message(err)})",
                f"grant the gate's identity {VIEWER_ROLE} on project {self.ref.project} (it needs "
                f"run.services.get and run.revisions.get): gcloud projects add-iam-policy-binding "
                f"{self.ref.project} --member=serviceAccount:SA --role={VIEWER_ROLE}.",
                403,
            ) from err
        except (exceptions.Unauthorized, exceptions.Unauthenticated) as err:
            raise AdminApiError(
                f"the Cloud Run Admin API rejected the credentials (401: {api_message(err)})",
                "refresh them: `gcloud auth application-default login`, or check the CI service "
                "account's key or workload identity binding.",
                401,
            ) from err
        except exceptions.NotFound as err:
            raise self._not_found(permission, request["name"]) from err
        except (
            exceptions.RetryError,
            exceptions.DeadlineExceeded,
            exceptions.ServiceUnavailable,
        ) as err:
            cause = getattr(err, "cause", None) or err
            raise AdminApiError(
                f"the Cloud Run Admin API at {self.endpoint} did not answer {permission} "
                f"successfully within {self.retry.timeout:g} s (last: {type(cause).__name__}: "
                f"{api_message(cause)})",
                "retry the gate; if it persists, check https://status.cloud.google.com and the "
                "--cloudrun-endpoint.",
            ) from err
        except exceptions.GoogleAPICallError as err:
            raise AdminApiError(
                f"the Cloud Run Admin API failed {permission}: {err.code} {api_message(err)}",
                "read the message above; the request was "
                f"{request.get('name') or request.get('parent')}.",
                int(err.code) if err.code else None,
            ) from err
        except (requests.exceptions.RequestException, google.auth.exceptions.TransportError) as err:
            option = "--cloudrun-endpoint (CLOUDRUN_API_ENDPOINT)"
            raise unreachable(
                AdminApiError, "Cloud Run Admin API", self.endpoint, option, err
            ) from err

    def _not_found(self, permission: str, name: str) -> AdminApiError:
        lister: Callable[..., Iterable[Any]]
        from google.api_core import exceptions

        ref = self.ref
        if permission == "run.services.get":
            what, parent, lister = (
                f"service {ref.service!r}",
                f"projects/{ref.project}/locations/{ref.region}",
                self.services.list_services,
            )
            where = f"project {ref.project}, region {ref.region}"
        else:
            what, parent, lister = (
                f"revision {short_name(name)!r}",
                ref.name,
                self.revisions.list_revisions,
            )
            where = f"service {ref.service}"
        try:
            found = [
                short_name(item.name)
                for item in lister(
                    request={"parent": parent}, retry=self.retry, timeout=self.timeout
                )
            ]
            there = f"there: {', '.join(found)}" if found else "there are none"
        except exceptions.GoogleAPICallError:
            there = "listing them failed too"
        return AdminApiError(
            f"{what} was not found in {where} (404); {there}",
            "check --project, --region and --service (or PROJECT_ID, REGION, SERVICE_NAME)"
            + (" and --revision" if permission == "run.revisions.get" else "")
            + ".",
            404,
        )


def _traffic_row(row: Any, latest_ready: str) -> TrafficRow:
    from google.cloud import run_v2

    latest = row.type_ == run_v2.TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST
    revision = short_name(row.revision) if row.revision else (latest_ready if latest else "")
    return TrafficRow(revision=revision, percent=int(row.percent), latest=latest, tag=row.tag)


def _revision(revision: Any) -> RevisionFacts:
    from google.cloud import run_v2

    ready = next((c for c in revision.conditions if c.type_ == "Ready"), None)
    state = ready.state if ready is not None else None
    containers = list(revision.containers)
    container = next((c for c in containers if c.ports), containers[0] if containers else None)
    env: dict[str, str] = {}
    secrets: dict[str, SecretMount] = {}
    resources: dict[str, str] = {}
    image = ""
    if container is not None:
        image = container.image
        for var in container.env:
            reference = var.value_source.secret_key_ref
            if reference.secret:
                secrets[var.name] = SecretMount(
                    secret_name(reference.secret), reference.version or "latest"
                )
            else:
                env[var.name] = var.value
        resources.update({key: str(value) for key, value in container.resources.limits.items()})
    timeout = revision.timeout
    if isinstance(timeout, timedelta):
        resources["timeout_seconds"] = f"{timeout.total_seconds():g}"
    resources["max_instances"] = str(revision.scaling.max_instance_count)
    resources["min_instances"] = str(revision.scaling.min_instance_count)
    return RevisionFacts(
        name=short_name(revision.name),
        created=revision.create_time or None,
        ready=None if state is None else state == run_v2.Condition.State.CONDITION_SUCCEEDED,
        ready_reason=_reason(ready),
        ready_message=ready.message if ready is not None else "",
        image=image,
        env=env,
        secrets=secrets,
        resources=resources,
    )


def _reason(condition: Any) -> str:
    if condition is None:
        return ""
    for field_name in ("reason", "revision_reason"):
        value = getattr(condition, field_name, None)
        if value:
            return str(getattr(value, "name", value))
    return str(getattr(condition.state, "name", condition.state))
