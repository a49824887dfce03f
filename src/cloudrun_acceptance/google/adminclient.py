"""The Admin API's two REST clients (services, revisions), and their errors as advice.

google-cloud-run is imported when a client is made, so a run that checks just a URL never loads
it. The clients talk REST (gRPC against an http:// endpoint would hang); an http:// endpoint (the
sandbox, an emulator) gets anonymous credentials, anything else Application Default Credentials.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..model import gcloud
from ..model.errors import AdminApiError
from ..model.service import ServiceRef
from .convert import short_name
from .errors import ApiCall, local_credentials, translate

API_TIMEOUT = 10.0
RETRY_SECONDS = 5.0
VIEWER_ROLE = "roles/run.viewer"
VIEWER_NEEDS = " (it needs run.services.get and run.revisions.get)"
# Reading needs the viewer role; changing traffic, the developer role.
DEVELOPER_ROLE = "roles/run.developer"
ROLES = {"run.services.update": (DEVELOPER_ROLE, " (it needs run.services.update)")}
ENDPOINT_OPTION = "--cloudrun-endpoint (CLOUDRUN_API_ENDPOINT)"


class AdminClient:
    """The two REST clients, and their errors translated into advice."""

    def __init__(
        self, ref: ServiceRef, endpoint: str | None, timeout: float, credentials: Any = None
    ) -> None:
        """``credentials``: google.auth's, when already had (else anonymous for an http://
        endpoint, Application Default Credentials otherwise)."""
        from google.api_core import exceptions
        from google.api_core import retry as retries
        from google.api_core.client_options import ClientOptions
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
        if credentials is None:
            credentials = local_credentials(endpoint)
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
            role=ROLES.get(permission, (VIEWER_ROLE, VIEWER_NEEDS))[0],
            needs=ROLES.get(permission, (VIEWER_ROLE, VIEWER_NEEDS))[1],
            timeout=min(self.timeout, RETRY_SECONDS),
            describe=str(gcloud.describe_service(self.ref)),
        )
        return translate(err, call, AdminApiError)

    def _resource(self, request: dict[str, Any]) -> str:
        """The resource a request names, for messages."""
        for key in ("name", "parent"):
            if key in request:
                return str(request[key])
        return self.ref.name

    def call(self, permission: str, method: Any, **request: Any) -> Any:
        from google.api_core import exceptions

        try:
            return method(request=request, retry=self.retry, timeout=self.timeout)
        except exceptions.NotFound as err:
            raise self._not_found(permission, self._resource(request)) from err
        except Exception as err:
            translated = self._translated(err, permission, self._resource(request))
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
