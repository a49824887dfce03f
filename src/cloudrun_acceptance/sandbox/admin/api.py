"""A local Cloud Run Admin API over the sandbox deployment: one state, two surfaces.

The URL table of the API, in the split moto uses (models, responses, urls): ``state`` keeps
the state (the service, its revisions, traffic, tags, version, generation, IAM policy);
``v2`` renders it as the v2 REST API that google-cloud-run reads and updates (UpdateService
with its etag, long-running operations); ``knative`` as the v1 ``serving.knative.dev`` surface
gcloud uses for services and revisions (replace of the whole service with its resourceVersion,
which may change its env: a new revision; delete of a revision). IAM policies
(``:getIamPolicy``, ``:setIamPolicy``) are served on both versions' paths. A change made through
one surface is what the other describes next.

gcloud sends the region as the first label of the host (``europe-west1-127.0.0.1:PORT``, see
platform/jsonserver.py); a v1 request names the region nowhere else.

The service is deployed in one region, the deployment's. Asked in another region, the API
answers as Google's does for a region the service was never deployed in: no services there (an
empty listing), and the service is a 404 naming that region. A location no region is named
like (``locations/nowhere``) is not found at all.
"""

from __future__ import annotations

import re
from typing import Any

from ..platform.deployment import PROJECT_NUMBER
from ..platform.jsonserver import JsonServer, Request
from .knative import Knative
from .refused import Refused, denied
from .state import ServiceState
from .v2 import V2

_V2 = re.compile(
    r"^/v2/projects/(?P<project>[^/]+)/locations/(?P<region>[^/]+)/"
    r"(?:operations/(?P<operation>[^/]+)|services"
    r"(?:/(?P<service>[^/:]+)(?::(?P<iam>getIamPolicy|setIamPolicy)"
    r"|(?P<revisions>/revisions(?:/(?P<revision>[^/]+))?))?)?)$"
)
_V1_IAM = re.compile(
    r"^/v1/projects/(?P<project>[^/]+)/locations/(?P<region>[^/]+)/services/(?P<service>[^/:]+)"
    r":(?P<iam>getIamPolicy|setIamPolicy)$"
)
_KNATIVE = re.compile(
    r"^/apis/serving\.knative\.dev/v1/namespaces/(?P<project>[^/]+)/"
    r"(?P<kind>services|revisions)(?:/(?P<name>[^/]+))?$"
)
# How Cloud Run's regions are named (europe-west1, us-central1, northamerica-northeast2).
_REGION_NAME = re.compile(r"^[a-z]+-[a-z]+[0-9]+$")
# The methods each kind of path answers; anything else is not found, as on Google's APIs.
_ALLOWED = {
    "list": {"GET"},
    "v2 service": {"GET", "PATCH"},
    "v1 service": {"GET", "PUT"},
    "revision": {"GET", "DELETE"},
    "getIamPolicy": {"GET"},
    "setIamPolicy": {"POST"},
}


class AdminApi:
    """The routes of the local Admin API over one service state."""

    def __init__(self, state: ServiceState) -> None:
        self.deployment = state.deployment
        self.traffic = state.traffic
        self.state = state
        self.v2 = V2(self.state)
        self.v1 = Knative(self.state)
        self.authority = ""  # the server's own 127.0.0.1:PORT, once it listens

    @property
    def updates(self) -> list[dict[str, Any]]:
        """Every update accepted, through either surface, as its body was sent."""
        return self.state.updates

    def __call__(self, request: Request) -> tuple[int, Any]:
        try:
            return self._route(request)
        except Refused as refused:
            return refused.answer()

    def _route(self, request: Request) -> tuple[int, Any]:
        d = self.deployment
        if d.behaviour.admin_api_status == 403:
            raise denied("run.services.get", d.service_name)
        for pattern, handle in (
            (_V2, self._v2),
            (_V1_IAM, self._iam_route),
            (_KNATIVE, self._knative),
        ):
            match = pattern.match(request.path)
            if match is not None:
                return handle(request, match.groupdict())
        raise _not_found(request)

    @staticmethod
    def _allow(request: Request, kind: str) -> None:
        if request.method not in _ALLOWED[kind]:
            raise _not_found(request)

    def _where(self, project: str, region: str) -> None:
        """Refuse a project other than the sandbox's, or a location no region is named like."""
        d = self.deployment
        if project not in {d.project, PROJECT_NUMBER} or not (
            region == d.region or _REGION_NAME.match(region)
        ):
            raise Refused(404, "NOT_FOUND", f"Location {region} of {project} not found")

    def _known(self, service: str | None, region: str) -> list[str]:
        """The services of the project in ``region`` (another one too: a listing after a 404
        names it; none in a region the service is not deployed in); with ``service``, refuse
        one that is not among them."""
        d = self.deployment
        other = f"{d.service}-staging"
        known = [other] if d.behaviour.admin_api_status == 404 else [d.service, other]
        if region != d.region:
            known = []
        if service is not None and service not in known:
            raise Refused(
                404,
                "NOT_FOUND",
                f"Resource '{service}' of kind 'SERVICE' in region '{region}' in project "
                f"'{d.project}' does not exist.",
            )
        return known

    def _v2(self, request: Request, at: dict[str, Any]) -> tuple[int, Any]:
        region = at["region"]
        self._where(at["project"], region)
        if at["operation"] is not None:
            self._allow(request, "list")
            if region != self.deployment.region:
                raise Refused(404, "NOT_FOUND", f"Operation {at['operation']} does not exist.")
            return self.v2.operation(request, at["operation"])
        known = self._known(at["service"], region)
        if at["iam"] is not None:
            return self._iam(request, at["iam"])
        if at["service"] is None or (at["revisions"] and at["revision"] is None):
            kind = "list"
        else:
            kind = "v2 service" if at["revisions"] is None else "revision"
        self._allow(request, kind)
        if at["service"] is None:
            return self.v2.services(request, known)
        if at["revisions"] is None:
            return self.v2.service(request, at["service"])
        if at["revision"] is None:
            return self.v2.revisions(request)
        return self.v2.revision(request, at["revision"])

    def _iam_route(self, request: Request, at: dict[str, Any]) -> tuple[int, Any]:
        self._where(at["project"], at["region"])
        self._known(at["service"], at["region"])
        return self._iam(request, at["iam"])

    def _iam(self, request: Request, verb: str) -> tuple[int, Any]:
        self._allow(request, verb)
        if verb == "getIamPolicy":
            return 200, self.state.iam.get()
        body = request.body if isinstance(request.body, dict) else {}
        return 200, self.state.iam.set(body.get("policy") or {})

    def _knative(self, request: Request, at: dict[str, Any]) -> tuple[int, Any]:
        region = self._region(request.host)
        self._where(at["project"], region)
        name = at["name"]
        kind = "list" if name is None else "v1 service" if at["kind"] == "services" else "revision"
        self._allow(request, kind)
        if at["kind"] == "services":
            known = self._known(name, region)
            return self.v1.services(known) if name is None else self.v1.service(request, name)
        self._known(self.deployment.service, region)
        return self.v1.revisions(request) if name is None else self.v1.revision(request, name)

    def _region(self, host: str) -> str:
        """The region gcloud put in front of the host, else (a direct request) the sandbox's."""
        own = f"-{self.authority}"
        if self.authority and host.endswith(own):
            return host[: -len(own)]
        return self.deployment.region


def _not_found(request: Request) -> Refused:
    return Refused(404, "NOT_FOUND", f"Method not found: {request.method} {request.path}")


def start_admin_api(state: ServiceState) -> tuple[JsonServer, AdminApi]:
    """Serve the local Admin API over ``state``."""
    api = AdminApi(state)
    server = JsonServer(api, "sandbox-admin-api")
    api.authority = server.authority
    return server, api
