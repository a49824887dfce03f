"""Admin API messages (protobuf) into the model's plain values: no protobuf leaves this layer."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from ..model.service import RevisionFacts, RevisionSummary, SecretMount, TrafficRow


def short_name(resource: str) -> str:
    """``projects/p/.../revisions/x`` -> ``x``; a short name stays as it is."""
    return resource.rsplit("/", 1)[-1]


def secret_name(reference: str) -> str:
    """A secret given as ``NAME`` or ``projects/N/secrets/NAME``: both are ``NAME``."""
    return reference.split("/secrets/", 1)[-1].split("/", 1)[0]


def traffic_row(row: Any, latest_ready: str) -> TrafficRow:
    """A TrafficTargetStatus (the traffic as served), with a tag's URL."""
    from google.cloud import run_v2

    latest = row.type_ == run_v2.TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST
    revision = short_name(row.revision) if row.revision else (latest_ready if latest else "")
    return TrafficRow(
        revision=revision, percent=int(row.percent), latest=latest, tag=row.tag, uri=row.uri
    )


def traffic_targets(rows: Iterable[TrafficRow]) -> list[Any]:
    """TrafficTargets for an update: each revision pinned by name, tags kept; a row read as
    the latest ready revision's (``latest``) stays so, following the next deploy."""
    from google.cloud import run_v2

    kinds = run_v2.TrafficTargetAllocationType
    return [
        run_v2.TrafficTarget(
            type_=kinds.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST,
            percent=row.percent,
            tag=row.tag,
        )
        if row.latest
        else run_v2.TrafficTarget(
            type_=kinds.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION,
            revision=row.revision,
            percent=row.percent,
            tag=row.tag,
        )
        for row in rows
    ]


def revision_summary(revision: Any) -> RevisionSummary:
    """A revision of the history: its name, creation time and Ready state."""
    ready = next((c for c in revision.conditions if c.type_ == "Ready"), None)
    return RevisionSummary(short_name(revision.name), revision.create_time or None, _decided(ready))


def _decided(condition: Any) -> bool | None:
    """True or False once the Ready condition succeeded or failed; None while undecided."""
    from google.cloud import run_v2

    if condition is None:
        return None
    states = run_v2.Condition.State
    if condition.state == states.CONDITION_SUCCEEDED:
        return True
    if condition.state == states.CONDITION_FAILED:
        return False
    return None


def revision_facts(revision: Any) -> RevisionFacts:
    """A revision as deployed: env, secret references (never values), resources, Ready, its
    service account and request concurrency."""
    ready = next((c for c in revision.conditions if c.type_ == "Ready"), None)
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
        ready=_decided(ready),
        ready_reason=_reason(ready),
        ready_message=ready.message if ready is not None else "",
        image=image,
        env=env,
        secrets=secrets,
        resources=resources,
        service_account=revision.service_account,
        # 0 is the proto's unset default; Cloud Run then applies its own (80).
        concurrency=revision.max_instance_request_concurrency or None,
    )


def _reason(condition: Any) -> str:
    if condition is None:
        return ""
    for field_name in ("reason", "revision_reason"):
        value = getattr(condition, field_name, None)
        if value:
            return str(getattr(value, "name", value))
    return str(getattr(condition.state, "name", condition.state))
