"""The v1 Knative surface of the local Admin API (``serving.knative.dev/v1``), the one gcloud
speaks for services and revisions: it parses requests and renders the one state (``state``).

gcloud changes traffic, and the env (``run services update --update-env-vars``: a new
revision, see knativetemplate), by replacing the whole service (``PUT``) with the
``resourceVersion`` it read, then polls the service until ``observedGeneration`` is its
``generation`` and the Ready condition is decided (googlecloudsdk/api_lib/run/condition.py,
``IsFresh`` and ``IsTerminal``; command_lib/run/op_pollers.py, ``ConditionPoller.Poll``), and
fails with the Ready condition's message when it is False: an update whose revision failed is
observed, with Ready and ConfigurationsReady False (RevisionFailed), RoutesReady True and the
latest ready revision still the one before; ``gcloud run revisions delete`` sends
``DELETE`` and polls the revision until it is gone. Field names and shapes follow gcloud's own v1
client (run_v1_messages). Each revision renders its own config (image, env, resources), the
service's template its latest created revision's; each tag its own URL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from ..platform.deployment import PROJECT_NUMBER, Deployment, rfc3339
from ..platform.jsonserver import Request
from ..platform.traffic import Target
from .knativetemplate import render_template, template_change
from .refused import Refused
from .revisions import Revision
from .state import ServiceState, Snapshot

API_VERSION = "serving.knative.dev/v1"
SERVICE_LABEL = "serving.knative.dev/service"
# What Knative and Cloud Run's v1 API call the reasons the sandbox gives.
REVISION_FAILED, HEALTH_CHECK_ERROR = "RevisionFailed", "HealthCheckContainerError"


class Knative:
    """The v1 routes over one service state."""

    def __init__(self, state: ServiceState) -> None:
        self.state = state
        self.d = state.deployment
        self.render = _Render(state.deployment)

    def services(self, names: list[str]) -> tuple[int, Any]:
        seen = self.state.snapshot()
        items = [self.render.service(name, seen) for name in names]
        return 200, _list("ServiceList", items)

    def service(self, request: Request, name: str) -> tuple[int, Any]:
        if request.method == "PUT":
            body = request.body if isinstance(request.body, Mapping) else {}
            metadata, spec = body.get("metadata") or {}, body.get("spec") or {}
            given = metadata.get("name", name)
            if given != name:
                raise Refused(400, "INVALID_ARGUMENT", f"metadata.name {given!r} is not {name!r}.")
            change = template_change(self.d, self.state.snapshot(), spec.get("template"))
            targets = [_target(row) for row in spec.get("traffic", [])]
            version = str(metadata.get("resourceVersion") or "")
            self.state.replace(name, targets, version, body, "resourceVersion", change=change)
            return 200, self.render.service(name, self.state.snapshot())
        return 200, self.render.service(name, self.state.read())

    def revisions(self, request: Request) -> tuple[int, Any]:
        seen = self.state.snapshot()
        wanted = _labels(request.query.get("labelSelector", [""])[0])
        items = [self.render.revision(r, seen) for r in seen.revisions.values()]
        items = [
            item
            for item in items
            if all(item["metadata"]["labels"].get(k) == v for k, v in wanted.items())
        ]
        return 200, _list("RevisionList", items)

    def revision(self, request: Request, name: str) -> tuple[int, Any]:
        if request.method == "DELETE":
            gone = self.state.delete_revision(name)
            details = {"name": name, "kind": "revisions", "uid": f"{gone.name}-uid"}
            return 200, {"status": "Success", "details": details}
        seen = self.state.snapshot()
        if name not in seen.revisions:
            raise Refused(404, "NOT_FOUND", f"Resource '{name}' of kind 'REVISION' does not exist.")
        return 200, self.render.revision(seen.revisions[name], seen)


def _list(kind: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """A whole listing: its ListMeta has no ``continue`` token, so gcloud reads one page."""
    return {"apiVersion": API_VERSION, "kind": kind, "metadata": {}, "items": items}


def _target(row: Mapping[str, Any]) -> Target:
    """A TrafficTarget of spec.traffic, as gcloud sends it."""
    revision = None if row.get("latestRevision") else str(row.get("revisionName") or "")
    return Target(revision, int(row.get("percent") or 0), str(row.get("tag") or ""))


def _labels(selector: str) -> dict[str, str]:
    """``serving.knative.dev/service = NAME`` (gcloud's spacing), comma-separated, as a dict."""
    pairs = (re.split(r"\s*==?\s*", term.strip(), maxsplit=1) for term in selector.split(","))
    return {pair[0]: pair[1] for pair in pairs if len(pair) == 2}


def _condition(
    kind: str, ready: bool | None, when: str, reason: str = "", message: str = ""
) -> dict[str, Any]:
    status = "Unknown" if ready is None else str(ready)
    condition = {"type": kind, "status": status, "lastTransitionTime": when}
    if ready is False:
        condition.update(reason=reason, message=message)
    return condition


class _Render:
    """serving.knative.dev/v1 objects as JSON."""

    def __init__(self, deployment: Deployment) -> None:
        self.d = deployment
        self.creator = f"deployer@{deployment.project}.iam.gserviceaccount.com"

    def metadata(self, kind: str, name: str, created: datetime) -> dict[str, Any]:
        return {
            "name": name,
            "namespace": PROJECT_NUMBER,
            "selfLink": f"/apis/{API_VERSION}/namespaces/{PROJECT_NUMBER}/{kind}/{name}",
            "uid": f"{name}-uid",
            "creationTimestamp": rfc3339(created),
            "labels": {"cloud.googleapis.com/location": self.d.region},
        }

    def service(self, name: str, seen: Snapshot) -> dict[str, Any]:
        d = self.d
        metadata = self.metadata("services", name, d.created_at - timedelta(days=30))
        metadata.update(resourceVersion=seen.version, generation=seen.generation)
        metadata["annotations"] = {
            "serving.knative.dev/creator": self.creator,
            "serving.knative.dev/lastModifier": self.creator,
            "run.googleapis.com/ingress": "all",
            "run.googleapis.com/ingress-status": "all",
            "run.googleapis.com/urls": json.dumps([d.service_url]),
        }
        when = rfc3339(seen.updated)
        failed = seen.revisions[seen.latest_created].failure
        configured = seen.configurations_ready
        return {
            "apiVersion": API_VERSION,
            "kind": "Service",
            "metadata": metadata,
            "spec": {
                "template": render_template(d, seen.template),
                "traffic": [self.target(t) for t in seen.targets],
            },
            "status": {
                "observedGeneration": seen.observed_generation,
                "conditions": [
                    _condition("Ready", seen.ready, when, REVISION_FAILED, failed),
                    _condition("ConfigurationsReady", configured, when, REVISION_FAILED, failed),
                    _condition("RoutesReady", seen.routes_ready, when),
                ],
                "latestReadyRevisionName": seen.latest_ready,
                "latestCreatedRevisionName": seen.latest_created,
                "traffic": [self.target(t, seen) for t in seen.targets],
                "url": d.service_url,
                "address": {"url": d.service_url},
            },
        }

    def target(self, target: Target, seen: Snapshot | None = None) -> dict[str, Any]:
        """A TrafficTarget of spec.traffic, or with ``seen`` of status.traffic (every revision
        named, a tag's URL)."""
        row: dict[str, Any] = {"latestRevision": True} if target.latest else {}
        if target.revision or seen is not None:
            row["revisionName"] = target.revision or (seen.latest_ready if seen else "")
        if target.percent:
            row["percent"] = target.percent
        if target.tag:
            row["tag"] = target.tag
            if seen is not None:
                row["url"] = seen.tag_urls.get(target.tag, "")
        return row

    def revision(self, revision: Revision, seen: Snapshot) -> dict[str, Any]:
        d = self.d
        template = render_template(d, revision.config)
        metadata = self.metadata("revisions", revision.name, revision.created)
        metadata.update(resourceVersion=f"{revision.name}-1", generation=1)
        metadata["labels"].update(
            {
                **revision.config.labels,  # its template's (gcloud's nonce)
                "serving.knative.dev/configuration": d.service,
                "serving.knative.dev/configurationGeneration": str(
                    revision.configuration_generation
                ),
                SERVICE_LABEL: d.service,
                "serving.knative.dev/serviceUid": f"{d.service}-uid",
                "serving.knative.dev/route": d.service,
            }
        )
        metadata["annotations"] = {
            "serving.knative.dev/creator": self.creator,
            **template["metadata"]["annotations"],
        }
        metadata["ownerReferences"] = [
            {
                "kind": "Configuration",
                "name": d.service,
                "uid": f"{d.service}-configuration-uid",
                "apiVersion": API_VERSION,
                "controller": True,
                "blockOwnerDeletion": True,
            }
        ]
        shares = {t.revision or seen.latest_ready for t in seen.targets if t.percent}
        when = rfc3339(revision.created)
        failure, ready = revision.failure, revision.ready
        active = _condition("Active", True, when)
        if revision.name not in shares:
            active = {**active, "status": "False", "severity": "Info", "reason": "NoTraffic"}
            active["message"] = "The target is not receiving traffic."
        return {
            "apiVersion": API_VERSION,
            "kind": "Revision",
            "metadata": metadata,
            "spec": template["spec"],
            "status": {
                "observedGeneration": 1,
                "conditions": [
                    _condition("Ready", ready, when, HEALTH_CHECK_ERROR, failure),
                    active,
                    _condition("ContainerHealthy", ready, when, HEALTH_CHECK_ERROR, failure),
                    _condition("ResourcesAvailable", True, when),
                ],
                "logUrl": f"https://console.cloud.google.com/logs/viewer?project={d.project}",
                "imageDigest": revision.image_digest,
            },
        }
