"""A local Cloud Run Admin API v2 (REST JSON) that describes the sandbox deployment.

It answers the paths the real google-cloud-run client uses (get and list of services and
revisions), in the real API's JSON shape. Enums are numbers, because the client asks for
``$alt=json;enum-encoding=int``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from .deployment import (
    FAILED_REVISION,
    IMAGE,
    PREVIOUS_REVISION,
    PROJECT_NUMBER,
    Deployment,
    rfc3339,
)
from .jsonserver import JsonServer, error_body

LATEST, REVISION = 1, 2  # TrafficTargetAllocationType
FAILED, SUCCEEDED = 3, 4  # Condition.State
OTHER_SERVICE = "emergence-app-staging"
NOT_READY_MESSAGE = (
    f"Revision '{FAILED_REVISION}' is not ready and cannot serve traffic. The user-provided "
    "container failed to start and listen on the port defined provided by the PORT=8080 "
    "environment variable within the allocated timeout."
)
_PATH = re.compile(
    r"^/v2/projects/(?P<project>[^/]+)/locations/(?P<region>[^/]+)/services"
    r"(?:/(?P<service>[^/]+)(?:/revisions(?:/(?P<revision>[^/]+))?)?)?$"
)


class AdminApi:
    """The routes of the local Admin API, over one sandbox deployment."""

    def __init__(self, deployment: Deployment) -> None:
        self.deployment = deployment
        self.revisions = self._revisions()

    def __call__(
        self, method: str, path: str, query: Mapping[str, list[str]], body: Any
    ) -> tuple[int, Any]:
        d = self.deployment
        status = d.behaviour.admin_api_status
        if status == 403:
            return 403, error_body(
                403,
                "PERMISSION_DENIED",
                f"Permission 'run.services.get' denied on resource '{d.service_name}' "
                "(or it may not exist).",
            )
        match = _PATH.match(path)
        if method != "GET" or match is None:
            return 404, error_body(404, "NOT_FOUND", f"Method not found: {method} {path}")
        if (match["project"], match["region"]) != (d.project, d.region):
            return 404, error_body(
                404, "NOT_FOUND", f"Location {match['region']} of {match['project']} not found"
            )
        service, revision = match["service"], match["revision"]
        known = {OTHER_SERVICE} if status == 404 else {d.service, OTHER_SERVICE}
        if service is None:
            return 200, {"services": [self._service(name) for name in sorted(known)]}
        if service not in known:
            return 404, error_body(
                404,
                "NOT_FOUND",
                f"Resource '{service}' of kind 'SERVICE' in region '{d.region}' in project "
                f"'{d.project}' does not exist.",
            )
        if path.endswith("/revisions"):
            return 200, {"revisions": list(self.revisions.values())}
        if revision is None:
            return 200, self._service(service)
        if revision not in self.revisions:
            return 404, error_body(
                404, "NOT_FOUND", f"Resource '{revision}' of kind 'REVISION' does not exist."
            )
        return 200, self.revisions[revision]

    def _revisions(self) -> dict[str, dict[str, Any]]:
        d = self.deployment
        created = d.created_at
        revisions = {
            d.revision: self._revision(d.revision, created, d.env, ready=True),
            PREVIOUS_REVISION: self._revision(
                PREVIOUS_REVISION, created - timedelta(hours=1), d.env, ready=True
            ),
        }
        if d.behaviour.latest_not_ready:
            revisions[FAILED_REVISION] = self._revision(
                FAILED_REVISION, created + timedelta(seconds=1), d.env, ready=False
            )
        return revisions

    def _revision(
        self, name: str, created: Any, env: Mapping[str, str], *, ready: bool
    ) -> dict[str, Any]:
        d = self.deployment
        variables: list[dict[str, Any]] = [
            {"name": key, "value": value} for key, value in env.items()
        ]
        for index, ref in enumerate(d.secrets):
            # The API gives a secret by short name or by resource name: the sandbox shows both.
            secret = f"projects/{PROJECT_NUMBER}/secrets/{ref.secret}" if index == 0 else ref.secret
            variables.append(
                {
                    "name": ref.env,
                    "valueSource": {"secretKeyRef": {"secret": secret, "version": ref.version}},
                }
            )
        condition: dict[str, Any] = {
            "type": "Ready",
            "state": SUCCEEDED if ready else FAILED,
            "lastTransitionTime": rfc3339(created),
        }
        if not ready:
            # RevisionReason.HEALTH_CHECK_CONTAINER_ERROR: the container never listened on PORT.
            condition.update({"revisionReason": 6, "message": NOT_READY_MESSAGE})
        r = d.resources
        return {
            "name": f"{d.service_name}/revisions/{name}",
            "uid": f"{name}-uid",
            "generation": "1",
            "createTime": rfc3339(created),
            "service": d.service_name,
            "scaling": {
                "minInstanceCount": int(r["min_instances"]),
                "maxInstanceCount": int(r["max_instances"]),
            },
            "maxInstanceRequestConcurrency": 80,
            "timeout": f"{r['timeout_seconds']}s",
            "serviceAccount": f"{PROJECT_NUMBER}-compute@developer.gserviceaccount.com",
            "containers": [
                {
                    "image": IMAGE,
                    "env": variables,
                    "resources": {
                        "limits": {"cpu": r["cpu"], "memory": r["memory"]},
                        "cpuIdle": True,
                    },
                    "ports": [{"name": "http1", "containerPort": 8080}],
                }
            ],
            "conditions": [condition],
            "observedGeneration": "1",
            "logUri": f"https://console.cloud.google.com/logs/viewer?project={d.project}",
        }

    def _service(self, name: str) -> dict[str, Any]:
        d = self.deployment
        latest_created = FAILED_REVISION if d.behaviour.latest_not_ready else d.revision
        if d.behaviour.traffic_split:
            traffic = [
                {"type": REVISION, "revision": d.revision, "percent": 50},
                {"type": REVISION, "revision": PREVIOUS_REVISION, "percent": 50},
            ]
        else:
            traffic = [{"type": LATEST, "revision": d.revision, "percent": 100}]
        ready = {"type": "Ready", "state": SUCCEEDED, "lastTransitionTime": rfc3339(d.created_at)}
        base = f"projects/{d.project}/locations/{d.region}/services/{name}"
        return {
            "name": f"projects/{d.project}/locations/{d.region}/services/{name}",
            "uid": f"{name}-uid",
            "generation": "3",
            "createTime": rfc3339(d.created_at - timedelta(days=30)),
            "updateTime": rfc3339(d.created_at),
            "creator": f"deployer@{d.project}.iam.gserviceaccount.com",
            "ingress": 1,
            "launchStage": 4,
            "traffic": [
                {k: v for k, v in row.items() if k != "revision" or row["type"] == REVISION}
                for row in traffic
            ],
            "observedGeneration": "3",
            "terminalCondition": ready,
            "conditions": [ready],
            "latestReadyRevision": f"{base}/revisions/{d.revision}",
            "latestCreatedRevision": f"{base}/revisions/{latest_created}",
            "trafficStatuses": traffic,
            "uri": d.service_url,
            "urls": [d.service_url],
        }


def start_admin_api(deployment: Deployment) -> JsonServer:
    """Serve the local Admin API for ``deployment``."""
    return JsonServer(AdminApi(deployment), "sandbox-admin-api")
