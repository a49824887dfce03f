"""The sandbox service's revisions, in the Admin API's JSON shape."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from .deployment import PROJECT_NUMBER, Deployment, rfc3339

FAILED, SUCCEEDED = 3, 4  # Condition.State
HEALTH_CHECK_CONTAINER_ERROR = 6  # RevisionReason


def not_ready_message(name: str) -> str:
    """What Cloud Run says of a revision whose container never listened."""
    return (
        f"Revision '{name}' is not ready and cannot serve traffic. The user-provided container "
        "failed to start and listen on the port defined provided by the PORT=8080 environment "
        "variable within the allocated timeout."
    )


def revisions(deployment: Deployment) -> dict[str, dict[str, Any]]:
    """Every revision, oldest first: a good one, a failed deploy, the one under check, and with
    the not_ready fault a newer failed one."""
    d = deployment
    created = d.created_at
    previous, older_failed, checked, failed = d.history
    history = {
        previous: revision(d, previous, created - timedelta(hours=2), True),
        older_failed: revision(d, older_failed, created - timedelta(hours=1), False),
        checked: revision(d, checked, created, True),
    }
    if d.behaviour.latest_not_ready:
        history[failed] = revision(d, failed, created + timedelta(seconds=1), False)
    return history


def revision(deployment: Deployment, name: str, created: datetime, ready: bool) -> dict[str, Any]:
    """One revision: its env, secrets (by reference), resources and Ready condition."""
    d = deployment
    variables: list[dict[str, Any]] = [
        {"name": key, "value": value} for key, value in d.env.items()
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
        condition.update(
            {"revisionReason": HEALTH_CHECK_CONTAINER_ERROR, "message": not_ready_message(name)}
        )
    r: Mapping[str, str] = d.resources
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
                "image": d.image,
                "env": variables,
                "resources": {"limits": {"cpu": r["cpu"], "memory": r["memory"]}, "cpuIdle": True},
                "ports": [{"name": "http1", "containerPort": 8080}],
            }
        ],
        "conditions": [condition],
        "observedGeneration": "1",
        "logUri": f"https://console.cloud.google.com/logs/viewer?project={d.project}",
    }
