"""The v2 surface of the local Admin API (REST JSON, what google-cloud-run speaks): it parses
requests and renders the one state (``state``) as google.cloud.run.v2 Service, Revision and
Operation messages.

Enums are their names, as the REST API writes them, unless the request asks for numbers with
``$alt=json;enum-encoding=int`` (the REST client always does). A service has a ``template``;
its ``terminalCondition`` is Ready and ``conditions`` holds the others (RoutesReady,
ConfigurationsReady), never Ready again. After a reconcile that failed (its revision did not
start), ``reconciling`` is false, ``observedGeneration`` is the last serving state's (the v2
reference; v1's has caught up), ``terminalCondition`` and ConfigurationsReady have failed
(REVISION_FAILED) and ``latestReadyRevision`` and the ``trafficStatuses`` of a latest target
are still the revision that served before it. Each revision renders its own config (image, env,
resources), the service's template its latest created revision's; each tag its own URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ..platform.deployment import PROJECT_NUMBER, Deployment, rfc3339
from ..platform.jsonserver import Request
from ..platform.traffic import Target
from .refused import Refused
from .revisions import HEALTH_CHECK_CONTAINER_ERROR, Config, Revision, container_name
from .state import ServiceState, Snapshot

SERVICE_TYPE = "type.googleapis.com/google.cloud.run.v2.Service"
REVISION_TYPE = "type.googleapis.com/google.cloud.run.v2.Revision"
# The numbers of the names the sandbox uses, per enum (they are unique across these).
ENUMS: Mapping[str, int] = {
    "CONDITION_RECONCILING": 2,
    "CONDITION_FAILED": 3,
    "CONDITION_SUCCEEDED": 4,
    "REVISION_FAILED": 3,  # Condition.CommonReason
    HEALTH_CHECK_CONTAINER_ERROR: 6,  # Condition.RevisionReason
    "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST": 1,
    "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION": 2,
    "INGRESS_TRAFFIC_ALL": 1,
    "GA": 4,  # google.api.LaunchStage
    "EXECUTION_ENVIRONMENT_GEN2": 2,
}
LATEST = "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST"
REVISION = "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION"


def int_enums(query: Mapping[str, list[str]]) -> bool:
    """Whether the request asks for enums as numbers (``$alt=json;enum-encoding=int``)."""
    values = [*query.get("$alt", []), *query.get("alt", [])]
    return any("enum-encoding=int" in value for value in values) or "int" in query.get(
        "enum-encoding", []
    )


class V2:
    """The v2 routes over one service state, rendering for one request at a time."""

    def __init__(self, state: ServiceState) -> None:
        self.state = state
        self.d = state.deployment

    def services(self, request: Request, names: list[str]) -> tuple[int, Any]:
        seen = self.state.snapshot()
        render = _Render(self.d, int_enums(request.query))
        return 200, {"services": [render.service(name, seen) for name in names]}

    def service(self, request: Request, name: str) -> tuple[int, Any]:
        render = _Render(self.d, int_enums(request.query))
        if request.method == "PATCH":
            # Only the traffic (and tags) of an UpdateService are applied: a changed template is
            # ignored, never a new revision (gcloud's env updates go through knative's PUT). A
            # template naming an existing revision with another configuration is refused, as
            # Cloud Run refuses it, with an update_mask or without.
            body = request.body if isinstance(request.body, Mapping) else {}
            mask = {p for v in request.query.get("updateMask", []) for p in v.split(",") if p}
            if mask - {"traffic"}:
                raise Refused(
                    400,
                    "INVALID_ARGUMENT",
                    f"update_mask: only traffic can be updated here, not {sorted(mask)}",
                )
            self._refuse_renamed_revision(body.get("template"))
            targets = [_target(row) for row in body.get("traffic", [])]
            etag = str(body.get("etag") or "").strip('"')
            # Recorded with the mask it came with (a query parameter), for the tests to read.
            recorded = {**body, "updateMask": ",".join(sorted(mask))}
            operation = self.state.replace(name, targets, etag, recorded, "etag")
            return 200, self._operation_body(render, operation, done=False)
        return 200, render.service(name, self.state.read())

    def _refuse_renamed_revision(self, template: Any) -> None:
        """409 ALREADY_EXISTS when ``template`` names an existing revision whose image or env
        differ from it: a revision is immutable."""
        if not isinstance(template, Mapping) or not template.get("revision"):
            return
        name = str(template["revision"]).rsplit("/", 1)[-1]
        existing = self.state.snapshot().revisions.get(name)
        containers = template.get("containers") or [{}]
        sent = containers[0] if isinstance(containers[0], Mapping) else {}
        if existing is None:
            return
        config = existing.config
        env = [_variable(row) for row in sent.get("env") or []]
        kept = [(v.name, v.value, v.secret.rsplit("/", 1)[-1], v.version) for v in config.env]
        if sent.get("image") != config.image or env != kept:
            raise Refused(
                409,
                "ALREADY_EXISTS",
                f"Revision named '{name}' with different configuration already exists.",
            )

    def revisions(self, request: Request) -> tuple[int, Any]:
        seen = self.state.snapshot()
        render = _Render(self.d, int_enums(request.query))
        return 200, {"revisions": [render.revision(r) for r in seen.revisions.values()]}

    def revision(self, request: Request, name: str) -> tuple[int, Any]:
        render = _Render(self.d, int_enums(request.query))
        if request.method == "DELETE":
            gone = self.state.delete_revision(name)
            body = {"@type": REVISION_TYPE, **render.revision(gone)}
            operation = f"projects/{self.d.project}/locations/{self.d.region}/operations/{name}"
            return 200, {"name": operation, "metadata": body, "done": True, "response": body}
        seen = self.state.snapshot()
        if name not in seen.revisions:
            raise Refused(404, "NOT_FOUND", f"Resource '{name}' of kind 'REVISION' does not exist.")
        return 200, render.revision(seen.revisions[name])

    def operation(self, request: Request, operation: str) -> tuple[int, Any]:
        done = self.state.operation_done(operation)
        if done is None:
            raise Refused(404, "NOT_FOUND", f"Operation {operation} does not exist.")
        return 200, self._operation_body(_Render(self.d, int_enums(request.query)), operation, done)

    def _operation_body(self, render: _Render, operation: str, done: bool) -> dict[str, Any]:
        d = self.d
        service = {"@type": SERVICE_TYPE, **render.service(d.service, self.state.snapshot())}
        body: dict[str, Any] = {
            "name": f"projects/{d.project}/locations/{d.region}/operations/{operation}",
            "metadata": service,
            "done": done,
        }
        if done:
            body["response"] = service
        return body


def _variable(row: Any) -> tuple[str, str, str, str]:
    """An EnvVar of a v2 container as (name, value, secret's short name, version)."""
    if not isinstance(row, Mapping):
        return ("", "", "", "")
    ref = (row.get("valueSource") or {}).get("secretKeyRef") or {}
    secret = str(ref.get("secret", "")).rsplit("/", 1)[-1]
    return (
        str(row.get("name", "")),
        str(row.get("value", "")),
        secret,
        str(ref.get("version", "")),
    )


def _target(row: Mapping[str, Any]) -> Target:
    """A TrafficTarget as the client sends it (its type as a name or a number)."""
    latest = row.get("type") in {LATEST, ENUMS[LATEST]}
    revision = None if latest else str(row.get("revision", "")).rsplit("/", 1)[-1]
    return Target(revision, int(row.get("percent") or 0), str(row.get("tag") or ""))


@dataclass(frozen=True)
class Failure:
    """Why a condition failed: the Condition field of its reason, the reason, the message."""

    field: str
    reason: str
    message: str


class _Render:
    """google.cloud.run.v2 messages as JSON, enums as names or numbers."""

    def __init__(self, deployment: Deployment, ints: bool) -> None:
        self.d = deployment
        self.ints = ints

    def enum(self, name: str) -> str | int:
        return ENUMS[name] if self.ints else name

    def condition(
        self, kind: str, ready: bool | None, when: str, failed: Failure | None = None
    ) -> dict[str, Any]:
        """A Condition: reconciling while ``ready`` is None; a failed one says why."""
        state = (
            "CONDITION_RECONCILING"
            if ready is None
            else ("CONDITION_SUCCEEDED" if ready else "CONDITION_FAILED")
        )
        condition: dict[str, Any] = {"type": kind, "state": self.enum(state)}
        condition["lastTransitionTime"] = when
        if failed is not None and ready is False:
            # A service's reason is a CommonReason (``reason``), a revision's a RevisionReason.
            condition[failed.field] = self.enum(failed.reason)
            condition["message"] = failed.message
        return condition

    def service(self, name: str, seen: Snapshot) -> dict[str, Any]:
        d = self.d
        base = f"projects/{d.project}/locations/{d.region}/services/{name}"
        when = rfc3339(seen.updated)
        failed = seen.revisions[seen.latest_created].failure
        reason = Failure("reason", "REVISION_FAILED", failed)
        return {
            "name": base,
            "uid": f"{name}-uid",
            "generation": str(seen.generation),
            "createTime": rfc3339(d.created_at - timedelta(days=30)),
            "updateTime": when,
            "creator": f"deployer@{d.project}.iam.gserviceaccount.com",
            "lastModifier": f"deployer@{d.project}.iam.gserviceaccount.com",
            "ingress": self.enum("INGRESS_TRAFFIC_ALL"),
            "launchStage": self.enum("GA"),
            "template": self.template(seen.template),
            "traffic": [self.target(t) for t in seen.targets],
            "urls": [d.service_url],
            "observedGeneration": str(seen.v2_observed_generation),
            "terminalCondition": self.condition("Ready", seen.ready, when, reason),
            "conditions": [
                self.condition("RoutesReady", seen.routes_ready, when),
                self.condition("ConfigurationsReady", seen.configurations_ready, when, reason),
            ],
            "latestReadyRevision": f"{base}/revisions/{seen.latest_ready}",
            "latestCreatedRevision": f"{base}/revisions/{seen.latest_created}",
            "trafficStatuses": [self.target(t, seen) for t in seen.targets],
            "uri": d.service_url,
            "reconciling": seen.reconciling,
            "etag": f'"{seen.version}"',
        }

    def target(self, target: Target, seen: Snapshot | None = None) -> dict[str, Any]:
        """A TrafficTarget, or with ``seen`` a TrafficTargetStatus (revision named, tag URL)."""
        row: dict[str, Any] = {"type": self.enum(LATEST if target.latest else REVISION)}
        if target.revision or seen is not None:
            row["revision"] = target.revision or (seen.latest_ready if seen else "")
        if target.percent:
            row["percent"] = target.percent
        if target.tag:
            row["tag"] = target.tag
            if seen is not None:
                row["uri"] = seen.tag_urls.get(target.tag, "")
        return row

    def template(self, config: Config) -> dict[str, Any]:
        """The RevisionTemplate: what the service's next revision is made from."""
        r = config.resources
        return {
            "scaling": {
                "minInstanceCount": int(r["min_instances"]),
                "maxInstanceCount": int(r["max_instances"]),
            },
            "timeout": f"{r['timeout_seconds']}s",
            "serviceAccount": f"{PROJECT_NUMBER}-compute@developer.gserviceaccount.com",
            "containers": [self.container(config)],
            "executionEnvironment": self.enum("EXECUTION_ENVIRONMENT_GEN2"),
            "maxInstanceRequestConcurrency": 80,
        }

    def container(self, config: Config) -> dict[str, Any]:
        d, r = self.d, config.resources
        variables: list[dict[str, Any]] = []
        secret_refs = 0
        for variable in config.env:
            if not variable.secret:
                variables.append({"name": variable.name, "value": variable.value})
                continue
            # The API gives a secret by short name or by resource name: the sandbox shows both.
            secret = variable.secret
            if secret_refs == 0 and "/" not in secret:
                secret = f"projects/{PROJECT_NUMBER}/secrets/{secret}"
            secret_refs += 1
            source = {"secretKeyRef": {"secret": secret, "version": variable.version}}
            variables.append({"name": variable.name, "valueSource": source})
        return {
            "name": container_name(d),
            "image": config.image,
            "env": variables,
            "resources": {"limits": {"cpu": r["cpu"], "memory": r["memory"]}, "cpuIdle": True},
            "ports": [{"name": "http1", "containerPort": 8080}],
        }

    def revision(self, revision: Revision) -> dict[str, Any]:
        d = self.d
        when = rfc3339(revision.created)
        reason = Failure("revisionReason", HEALTH_CHECK_CONTAINER_ERROR, revision.failure)
        template = self.template(revision.config)
        return {
            "name": f"{d.service_name}/revisions/{revision.name}",
            "uid": f"{revision.name}-uid",
            "generation": "1",
            "createTime": when,
            "updateTime": when,
            "launchStage": self.enum("GA"),
            "service": d.service_name,
            "scaling": template["scaling"],
            "maxInstanceRequestConcurrency": template["maxInstanceRequestConcurrency"],
            "timeout": template["timeout"],
            "serviceAccount": template["serviceAccount"],
            "containers": template["containers"],
            "executionEnvironment": template["executionEnvironment"],
            "conditions": [
                self.condition("Ready", revision.ready, when, reason),
                self.condition("ContainerHealthy", revision.ready, when, reason),
                self.condition("ResourcesAvailable", True, when),
            ],
            "observedGeneration": "1",
            "logUri": f"https://console.cloud.google.com/logs/viewer?project={d.project}",
            "scalingStatus": {"desiredMinInstanceCount": template["scaling"]["minInstanceCount"]},
            "creator": f"deployer@{d.project}.iam.gserviceaccount.com",
            "etag": f'"{revision.name}-{revision.configuration_generation}"',
        }
