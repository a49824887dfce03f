"""A reconcile that fails, as the local Admin API reports it in both protocols: an update whose
new revision does not start (gcloud pins the image to the digest of the latest created revision,
which with ``not_ready`` failed to start) is observed like any other in v1 (``observedGeneration``
catches up with ``generation``; v2's stays at the last serving state's), its Ready and
ConfigurationsReady conditions fail with the
revision's message, RoutesReady holds, and the latest ready revision, where a latest target
leads, stays the one before it; while it runs, nothing is decided yet.

The real APIs, for reference: knative.dev/pkg reconciler.PostProcessReconcile sets
observedGeneration "regardless of success or failure"; knative.dev/serving's Configuration
reconciler marks a failed latest created revision RevisionFailed and keeps the latest ready one,
and the Service propagates it to ConfigurationsReady and Ready; gcloud waits for
``observedGeneration == generation`` and a decided Ready (googlecloudsdk/api_lib/run/
condition.py, command_lib/run/op_pollers.py); the v2 Service reference (``reconciling``) says
that after a failed reconciliation ``traffic_statuses``, ``observed_generation`` and
``latest_ready_revision`` keep the last serving state.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from typing import Any

from google.cloud import run_v2

from cloudrun_acceptance.sandbox.admin.api import AdminApi
from cloudrun_acceptance.sandbox.admin.revisions import (
    Config,
    TemplateChange,
    failed_digests,
    new_revision,
    not_ready_message,
)
from cloudrun_acceptance.sandbox.admin.state import OPERATION_SECONDS, ServiceState
from cloudrun_acceptance.sandbox.faults.profiles import behaviour_for
from cloudrun_acceptance.sandbox.platform.deployment import plan_deployment
from cloudrun_acceptance.sandbox.platform.jsonserver import Request
from cloudrun_acceptance.sandbox.platform.traffic import Traffic

V2 = "/v2/projects/sandbox-project/locations/europe-west1/services/emergence-app"
V1 = "/apis/serving.knative.dev/v1/namespaces/sandbox-project/services/emergence-app"
REVISIONS_V1 = "/apis/serving.knative.dev/v1/namespaces/sandbox-project/revisions"
REGIONAL = "europe-west1-127.0.0.1:8000"
OLD, FAILED, NEW, NEWER = (
    f"emergence-app-{s}" for s in ("00001-xyz", "00002-fgh", "00003-abc", "00004-def")
)


def api(*faults: str, reconcile_seconds: float | None = None) -> AdminApi:
    behaviour = behaviour_for(faults)
    if reconcile_seconds is not None:
        behaviour = replace(behaviour, reconcile_seconds=reconcile_seconds)
    deployment = plan_deployment(behaviour, {"A": "1"}, (), {}, 0.0)
    admin = AdminApi(ServiceState(deployment, Traffic(deployment)))
    admin.authority = "127.0.0.1:8000"
    return admin


def call(admin: AdminApi, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    status, answer = admin(Request(method, path, {}, body, REGIONAL))
    return status, json.loads(json.dumps(answer))


def get(admin: AdminApi, path: str) -> Any:
    status, answer = call(admin, "GET", path)
    assert status == 200, answer
    return answer


def settle() -> None:
    time.sleep(OPERATION_SECONDS + 0.05)


def conditions(v1: dict[str, Any]) -> dict[str, tuple[str, str, str]]:
    """A v1 object's conditions: type -> (status, reason, message)."""
    return {
        c["type"]: (c["status"], c.get("reason", ""), c.get("message", ""))
        for c in v1["status"]["conditions"]
    }


def states(v2: dict[str, Any]) -> dict[str, str]:
    """A v2 service's conditions, its terminal one first: type -> state."""
    return {c["type"]: c["state"] for c in [v2["terminalCondition"], *v2["conditions"]]}


def gcloud_env_update(admin: AdminApi, image_of: str) -> tuple[int, Any]:
    """What ``gcloud run services update --update-env-vars B=2`` sends: the service as read,
    its image pinned to the digest of ``image_of``, a new nonce, the env edited."""
    service = get(admin, V1)
    digest = get(admin, f"{REVISIONS_V1}/{image_of}")["status"]["imageDigest"]
    template = service["spec"]["template"]
    template["metadata"]["labels"] = {"client.knative.dev/nonce": "failednonce"}
    container = template["spec"]["containers"][0]
    container["image"] = digest
    container["env"] = [*container["env"], {"name": "B", "value": "2"}]
    return call(admin, "PUT", V1, service)


def test_an_update_whose_revision_fails_is_observed_failed_while_the_one_before_serves():
    admin = api("not_ready")  # 00004 failed to start; gcloud pins its digest
    status, replaced = gcloud_env_update(admin, image_of=NEWER)
    assert status == 200, replaced
    created = replaced["status"]["latestCreatedRevisionName"]
    assert created.startswith("emergence-app-00005-")

    # Under way: the new generation not observed yet, nothing decided, the older one serves.
    assert (replaced["metadata"]["generation"], replaced["status"]["observedGeneration"]) == (4, 3)
    assert {k: v[0] for k, v in conditions(replaced).items()} == {
        "Ready": "Unknown",
        "ConfigurationsReady": "Unknown",
        "RoutesReady": "Unknown",
    }
    assert replaced["status"]["latestReadyRevisionName"] == NEW
    running = get(admin, V2)
    assert (running["generation"], running["observedGeneration"], running["reconciling"]) == (
        "4",
        "3",
        True,
    )
    assert set(states(running).values()) == {"CONDITION_RECONCILING"}
    assert running["latestReadyRevision"].endswith(f"/{NEW}")

    settle()
    # Done, and failed: observed all the same (what gcloud waits for before it reads Ready).
    v1 = get(admin, V1)
    assert (v1["metadata"]["generation"], v1["status"]["observedGeneration"]) == (4, 4)
    message = not_ready_message(created)
    assert conditions(v1) == {
        "Ready": ("False", "RevisionFailed", message),
        "ConfigurationsReady": ("False", "RevisionFailed", message),
        "RoutesReady": ("True", "", ""),
    }
    assert (v1["status"]["latestCreatedRevisionName"], v1["status"]["latestReadyRevisionName"]) == (
        created,
        NEW,
    )
    assert v1["status"]["traffic"] == [
        {"latestRevision": True, "revisionName": NEW, "percent": 100}
    ]
    # The spec is what was sent: the failed revision's template.
    assert v1["spec"]["template"]["spec"]["containers"][0]["env"][-1] == {"name": "B", "value": "2"}

    v2 = get(admin, V2)
    run_v2.Service.from_json(json.dumps(v2), ignore_unknown_fields=False)
    # v2 keeps the last serving state's generation: the deploy's own (3) failed too.
    assert (v2["generation"], v2["observedGeneration"], v2["reconciling"]) == ("4", "2", False)
    assert states(v2) == {
        "Ready": "CONDITION_FAILED",
        "RoutesReady": "CONDITION_SUCCEEDED",
        "ConfigurationsReady": "CONDITION_FAILED",
    }
    terminal = v2["terminalCondition"]
    assert (terminal["reason"], terminal["message"]) == ("REVISION_FAILED", message)
    assert v2["latestCreatedRevision"].endswith(f"/{created}")
    assert v2["latestReadyRevision"].endswith(f"/{NEW}")
    assert v2["trafficStatuses"] == [
        {"type": "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", "revision": NEW, "percent": 100}
    ]
    assert admin.state.traffic.service_revision() == NEW

    # The revision itself failed its health check, in both protocols.
    ready = get(admin, f"{V2}/revisions/{created}")["conditions"][0]
    assert (ready["type"], ready["state"], ready["revisionReason"]) == (
        "Ready",
        "CONDITION_FAILED",
        "HEALTH_CHECK_CONTAINER_ERROR",
    )
    revision = conditions(get(admin, f"{REVISIONS_V1}/{created}"))
    assert revision["Ready"] == ("False", "HealthCheckContainerError", message)
    assert revision["Active"][:2] == ("False", "NoTraffic")


def test_an_update_from_a_digest_that_started_recovers_the_failed_service():
    admin = api("not_ready")
    status, replaced = gcloud_env_update(admin, image_of=NEW)  # the image that serves
    assert status == 200, replaced
    created = replaced["status"]["latestCreatedRevisionName"]
    settle()
    v2 = get(admin, V2)
    assert (v2["generation"], v2["observedGeneration"]) == ("4", "4")
    assert set(states(v2).values()) == {"CONDITION_SUCCEEDED"}
    assert v2["latestReadyRevision"] == v2["latestCreatedRevision"]
    assert v2["latestReadyRevision"].endswith(f"/{created}")
    assert v2["trafficStatuses"][0]["revision"] == created


def test_a_failed_deploy_still_reconciling_has_decided_nothing_then_fails():
    admin = api("not_ready", reconcile_seconds=0.3)  # the deploy of 00004, under way
    v1, v2 = get(admin, V1), get(admin, V2)
    assert (v1["metadata"]["generation"], v1["status"]["observedGeneration"]) == (3, 2)
    # Not ConfigurationsReady False beside an Unknown Ready: none is decided while it deploys.
    assert {k: v[0] for k, v in conditions(v1).items()} == dict.fromkeys(
        ("Ready", "ConfigurationsReady", "RoutesReady"), "Unknown"
    )
    assert set(states(v2).values()) == {"CONDITION_RECONCILING"}
    time.sleep(0.35)
    v1, v2 = get(admin, V1), get(admin, V2)
    assert (v1["metadata"]["generation"], v1["status"]["observedGeneration"]) == (3, 3)
    assert conditions(v1)["Ready"][:2] == ("False", "RevisionFailed")
    assert (v2["observedGeneration"], v2["reconciling"]) == ("2", False)  # the last serving
    assert states(v2)["ConfigurationsReady"] == "CONDITION_FAILED"


def test_a_traffic_change_leaves_a_failed_configuration_failed():
    admin = api("not_ready")
    service = get(admin, V1)
    service["spec"]["traffic"] = [{"revisionName": NEW, "percent": 100}]
    status, replaced = call(admin, "PUT", V1, service)
    assert status == 200, replaced
    # The configuration is not touched: its failure stands while the route reconciles.
    assert conditions(replaced)["ConfigurationsReady"][:2] == ("False", "RevisionFailed")
    assert conditions(replaced)["RoutesReady"][0] == "Unknown"
    assert replaced["status"]["observedGeneration"] == 3
    settle()
    v1 = get(admin, V1)
    assert v1["status"]["observedGeneration"] == v1["metadata"]["generation"] == 4
    assert conditions(v1)["Ready"][:2] == ("False", "RevisionFailed")
    assert conditions(v1)["RoutesReady"][0] == "True"


def test_a_new_revision_fails_only_from_the_digest_of_one_that_failed():
    admin = api("not_ready")
    existing = dict(admin.state.revisions)
    assert failed_digests(existing) == {existing[FAILED].image_digest, existing[NEWER].image_digest}
    config = existing[NEW].config
    for image, ready in [
        (existing[NEWER].image_digest, False),
        (existing[FAILED].image_digest, False),
        (existing[NEW].image_digest, True),
        (config.image, True),  # by tag: the deploy's image
    ]:
        change = TemplateChange(Config(image, config.env, config.resources))
        assert new_revision("emergence-app", existing, change).ready is ready, image


def test_a_revision_whose_container_did_not_start_is_not_ready_in_both_protocols():
    # The team's own service exited at start: the sandbox marks the revision under check.
    admin = api(reconcile_seconds=0)
    admin.state.failed_to_start(NEW)
    v2 = get(admin, f"{V2}/revisions/{NEW}")
    ready = next(c for c in v2["conditions"] if c["type"] == "Ready")
    assert (ready["state"], ready["revisionReason"]) == (
        "CONDITION_FAILED",
        "HEALTH_CHECK_CONTAINER_ERROR",
    )
    assert ready["message"] == not_ready_message(NEW)
    v1 = get(admin, f"{REVISIONS_V1}/{NEW}")
    assert conditions(v1)["Ready"] == ("False", "HealthCheckContainerError", not_ready_message(NEW))
    service = get(admin, V2)
    assert states(service)["Ready"] == "CONDITION_FAILED"
    # A failed reconcile: v2 keeps the generation that served last (none since this one).
    assert (service["generation"], service["observedGeneration"]) == ("3", "2")
