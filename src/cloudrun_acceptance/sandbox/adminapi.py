"""A local Cloud Run Admin API v2 (REST JSON) over the sandbox deployment.

It answers what the real google-cloud-run client sends: get and list of services and revisions;
UpdateService (``PATCH`` of the whole service, with its etag), answered by a long-running
operation that ``GET .../operations/ID`` shows running, then done with the service; 409 ABORTED
on a stale etag; 403 when the identity may not update. It keeps the traffic it was given, so a
later read describes it. Enums are numbers: the client asks for ``$alt=json;enum-encoding=int``.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from .deployment import Deployment, rfc3339
from .jsonserver import JsonServer, error_body
from .revisions import SUCCEEDED, revisions
from .traffic import Traffic

RECONCILING = 2  # Condition.State
SERVICE_TYPE = "type.googleapis.com/google.cloud.run.v2.Service"
# How long an update's operation runs (and the service reconciles) before it is done.
OPERATION_SECONDS = 0.3
_PATH = re.compile(
    r"^/v2/projects/(?P<project>[^/]+)/locations/(?P<region>[^/]+)/"
    r"(?:operations/(?P<operation>[^/]+)|services"
    r"(?:/(?P<service>[^/]+)(?:/revisions(?:/(?P<revision>[^/]+))?)?)?)$"
)


class AdminApi:
    """The routes of the local Admin API, over one sandbox deployment and its traffic."""

    def __init__(self, deployment: Deployment, traffic: Traffic) -> None:
        self.deployment = deployment
        self.traffic = traffic
        self.revisions = revisions(deployment)
        self.generation = 3
        self.etag = _etag()
        self.reconciled_at = time.monotonic() + deployment.behaviour.reconcile_seconds
        self.operations: dict[str, float] = {}
        self.updates: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def __call__(
        self, method: str, path: str, query: Mapping[str, list[str]], body: Any
    ) -> tuple[int, Any]:
        d = self.deployment
        status = d.behaviour.admin_api_status
        if status == 403:
            return 403, _denied("run.services.get", d.service_name)
        match = _PATH.match(path)
        if match is None or method not in {"GET", "PATCH"}:
            return 404, error_body(404, "NOT_FOUND", f"Method not found: {method} {path}")
        if (match["project"], match["region"]) != (d.project, d.region):
            return 404, error_body(
                404, "NOT_FOUND", f"Location {match['region']} of {match['project']} not found"
            )
        if match["operation"] is not None:
            return self._operation(match["operation"])
        service, revision = match["service"], match["revision"]
        # Another service of the project: a listing (after a 404) names it.
        other = f"{d.service}-staging"
        known = {other} if status == 404 else {d.service, other}
        if service is None:
            return 200, {"services": [self._service(name) for name in sorted(known)]}
        if service not in known:
            return 404, error_body(
                404,
                "NOT_FOUND",
                f"Resource '{service}' of kind 'SERVICE' in region '{d.region}' in project "
                f"'{d.project}' does not exist.",
            )
        if method == "PATCH":
            return self._update(service, body if isinstance(body, Mapping) else {})
        if path.endswith("/revisions"):
            return 200, {"revisions": list(self.revisions.values())}
        if revision is None:
            return 200, self._read(service)
        if revision not in self.revisions:
            return 404, error_body(
                404, "NOT_FOUND", f"Resource '{revision}' of kind 'REVISION' does not exist."
            )
        return 200, self.revisions[revision]

    def _read(self, name: str) -> dict[str, Any]:
        described = self._service(name)
        if self.deployment.behaviour.update_status == 409:
            # Another deployer changes the service right after each read: an update with the
            # etag the gate read is refused.
            with self._lock:
                self.etag = _etag()
        return described

    def _update(self, name: str, body: Mapping[str, Any]) -> tuple[int, Any]:
        d = self.deployment
        if d.behaviour.update_status == 403 or name != d.service:
            return 403, _denied("run.services.update", f"{d.service_name[: -len(d.service)]}{name}")
        with self._lock:
            if body.get("etag") != self.etag:
                return 409, error_body(
                    409,
                    "ABORTED",
                    f"Resource '{name}' has been modified since it was read (etag "
                    f"{body.get('etag')!r} is not {self.etag!r}). Please apply your changes to the "
                    "latest version and try again.",
                )
            self.updates.append(dict(body))
            self.traffic.set(body.get("traffic", []))
            self.generation += 1
            self.etag = _etag()
            operation = secrets.token_hex(8)
            done_at = time.monotonic() + OPERATION_SECONDS
            self.operations[operation] = done_at
            self.reconciled_at = max(self.reconciled_at, done_at)
        return 200, self._operation_body(operation, done=False)

    def _operation(self, operation: str) -> tuple[int, Any]:
        done_at = self.operations.get(operation)
        if done_at is None:
            return 404, error_body(404, "NOT_FOUND", f"Operation {operation} does not exist.")
        return 200, self._operation_body(operation, done=time.monotonic() >= done_at)

    def _operation_body(self, operation: str, *, done: bool) -> dict[str, Any]:
        d = self.deployment
        service = {"@type": SERVICE_TYPE, **self._service(d.service)}
        body: dict[str, Any] = {
            "name": f"projects/{d.project}/locations/{d.region}/operations/{operation}",
            "metadata": service,
            "done": done,
        }
        if done:
            body["response"] = service
        return body

    def _service(self, name: str) -> dict[str, Any]:
        d = self.deployment
        latest_created = d.history[3] if d.behaviour.latest_not_ready else d.revision
        reconciling = time.monotonic() < self.reconciled_at
        state = RECONCILING if reconciling else SUCCEEDED
        condition = {"type": "Ready", "state": state, "lastTransitionTime": rfc3339(d.created_at)}
        base = f"projects/{d.project}/locations/{d.region}/services/{name}"
        return {
            "name": base,
            "uid": f"{name}-uid",
            "generation": str(self.generation),
            "observedGeneration": str(self.generation - 1 if reconciling else self.generation),
            "reconciling": reconciling,
            "etag": self.etag,
            "createTime": rfc3339(d.created_at - timedelta(days=30)),
            "updateTime": rfc3339(d.created_at),
            "creator": f"deployer@{d.project}.iam.gserviceaccount.com",
            "ingress": 1,
            "launchStage": 4,
            "traffic": self.traffic.targets,
            "terminalCondition": condition,
            "conditions": [condition],
            "latestReadyRevision": f"{base}/revisions/{d.revision}",
            "latestCreatedRevision": f"{base}/revisions/{latest_created}",
            "trafficStatuses": self.traffic.statuses(),
            "uri": d.service_url,
            "urls": [d.service_url],
        }


def _etag() -> str:
    return f'"{secrets.token_hex(8)}"'


def _denied(permission: str, resource: str) -> dict[str, Any]:
    return error_body(
        403,
        "PERMISSION_DENIED",
        f"Permission '{permission}' denied on resource '{resource}' (or it may not exist).",
    )


def start_admin_api(deployment: Deployment, traffic: Traffic) -> tuple[JsonServer, AdminApi]:
    """Serve the local Admin API for ``deployment``."""
    api = AdminApi(deployment, traffic)
    return JsonServer(api, "sandbox-admin-api"), api
