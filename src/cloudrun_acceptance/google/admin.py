"""The Cloud Run Admin API, through the real google-cloud-run client: the service and revision.

google-cloud-run is imported inside ``describe_service`` only, so a run that checks just a URL
never loads it. The client talks REST (gRPC against an http:// endpoint would hang); an http://
endpoint (the sandbox, an emulator) gets anonymous credentials, anything else Application Default
Credentials. Results are the model's plain values (google/convert.py turns protobuf into them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..model.errors import AdminApiError
from ..model.service import ServiceFacts, ServiceRef
from .convert import revision_facts, short_name, traffic_row
from .errors import ApiCall, is_local, translate

API_TIMEOUT = 10.0
RETRY_SECONDS = 5.0
VIEWER_ROLE = "roles/run.viewer"
VIEWER_NEEDS = " (it needs run.services.get and run.revisions.get)"
ENDPOINT_OPTION = "--cloudrun-endpoint (CLOUDRUN_API_ENDPOINT)"


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
    facts = revision_facts(
        api.call(
            "run.revisions.get", api.revisions.get_revision, name=f"{ref.name}/revisions/{checked}"
        )
    )
    newest = None
    if latest_created and latest_created not in {checked, latest_ready}:
        newest = revision_facts(
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
        traffic=tuple(traffic_row(row, latest_ready) for row in service.traffic_statuses),
        revision=facts,
        pinned=revision is not None,
        newest=newest,
    )


class _Api:
    """The two REST clients, and their errors translated into advice."""

    def __init__(self, ref: ServiceRef, endpoint: str | None, timeout: float) -> None:
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
        except Exception as err:
            translated = self._translated(err, "run.services.get", ref.name)
            if translated is None:
                raise
            raise translated from err

    def _translated(self, err: Exception, permission: str, resource: str) -> AdminApiError | None:
        call = ApiCall(
            api="Cloud Run Admin API",
            endpoint=self.endpoint,
            option=ENDPOINT_OPTION,
            permission=permission,
            resource=resource,
            project=self.ref.project,
            role=VIEWER_ROLE,
            needs=VIEWER_NEEDS,
            timeout=min(self.timeout, RETRY_SECONDS),
        )
        return translate(err, call, AdminApiError)

    def call(self, permission: str, method: Any, **request: Any) -> Any:
        from google.api_core import exceptions

        try:
            return method(request=request, retry=self.retry, timeout=self.timeout)
        except exceptions.NotFound as err:
            raise self._not_found(permission, request["name"]) from err
        except Exception as err:
            translated = self._translated(err, permission, request["name"])
            if translated is None:
                raise
            raise translated from err

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
