"""The revision template of the v1 Knative surface: rendered from a revision's config, and read
back from a replace (PUT) as the change it asks for.

``gcloud run services update --update-env-vars`` (or ``--remove-env-vars``) reads the service,
reads its latest created revision for the image digest, then replaces the service with the
template changed: the env edited, the image pinned to that digest (the running code stays), a
new nonce label (``client.knative.dev/nonce``, which forces a new revision) and its
client-name and client-version annotations (googlecloudsdk/command_lib/run/
serverless_operations.py, ReleaseService). The sandbox deploys that much: a template that
differs in env (plain values and secretKeyRefs), in its labels, or only in pinning the image by
digest is a new revision; any other change to the containers or to the revision spec is one it
cannot build, and is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..platform.deployment import PROJECT_NUMBER, Deployment
from .refused import Refused
from .revisions import Config, TemplateChange, Variable, container_name
from .state import Snapshot

# What gcloud adds to the template of every update; the sandbox keeps neither.
CLIENT_ANNOTATIONS = frozenset(
    {"run.googleapis.com/client-name", "run.googleapis.com/client-version"}
)
ENV = "spec.template.spec.containers[0].env"


def render_template(deployment: Deployment, config: Config) -> dict[str, Any]:
    """The RevisionTemplate: metadata (scaling annotations, the labels) and the RevisionSpec."""
    d, r = deployment, config.resources
    annotations = {
        "autoscaling.knative.dev/maxScale": r["max_instances"],
        "run.googleapis.com/execution-environment": "gen2",
    }
    if int(r["min_instances"]):
        annotations["autoscaling.knative.dev/minScale"] = r["min_instances"]
    metadata: dict[str, Any] = {"annotations": annotations}
    if config.labels:
        metadata["labels"] = dict(config.labels)
    container = {
        "name": container_name(d),
        "image": config.image,
        "ports": [{"name": "http1", "containerPort": 8080}],
        "env": [_env_row(variable) for variable in config.env],
        "resources": {"limits": {"cpu": r["cpu"], "memory": r["memory"]}},
    }
    spec = {
        "containerConcurrency": 80,
        "timeoutSeconds": int(r["timeout_seconds"]),
        "serviceAccountName": f"{PROJECT_NUMBER}-compute@developer.gserviceaccount.com",
        "containers": [container],
    }
    return {"metadata": metadata, "spec": spec}


def _env_row(variable: Variable) -> dict[str, Any]:
    if not variable.secret:
        return {"name": variable.name, "value": variable.value}
    secret = {"name": variable.secret, "key": variable.version}
    return {"name": variable.name, "valueFrom": {"secretKeyRef": secret}}


def template_change(deployment: Deployment, seen: Snapshot, sent: Any) -> TemplateChange:
    """What a replace's ``spec.template`` asks for, as a change of the service's template
    (which is not one when it is the template as rendered); refused when it changes more than
    the env, the labels, or the image's pinning by digest."""
    sent = sent if isinstance(sent, Mapping) else {}
    metadata, spec = sent.get("metadata") or {}, sent.get("spec") or {}
    current = render_template(deployment, seen.template)
    containers = spec.get("containers")
    ours = current["spec"]["containers"][0]
    # The image as read, by tag, or by the digest of a revision it names (gcloud pins it).
    images = {ours["image"], deployment.image, *(r.image_digest for r in seen.revisions.values())}
    if (
        not isinstance(containers, list)
        or len(containers) != 1
        or not isinstance(containers[0], Mapping)
        or containers[0].get("image") not in images
        or _but_env(containers[0]) != _but_env(ours)
    ):
        raise Refused(
            400,
            "FAILED_PRECONDITION",
            "The sandbox's Admin API changes a service's traffic and tags only; this request "
            "changes its containers (a new revision), which it cannot deploy.",
        )
    annotations = {
        k: v for k, v in (metadata.get("annotations") or {}).items() if k not in CLIENT_ANNOTATIONS
    }
    keys = {*spec, *current["spec"]} - {"containers"}
    changed = sorted(k for k in keys if spec.get(k) != current["spec"].get(k))
    if annotations != current["metadata"]["annotations"]:
        changed.append("metadata.annotations")
    if changed:
        raise Refused(
            400,
            "FAILED_PRECONDITION",
            "The sandbox's Admin API changes a service's traffic, tags and env only; this "
            f"request changes its revision template ({', '.join(changed)}), which it cannot "
            "deploy.",
        )
    env = tuple(_variable(row, index) for index, row in enumerate(containers[0].get("env") or []))
    names = [variable.name for variable in env]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise Refused(400, "INVALID_ARGUMENT", f"{ENV}: {', '.join(twice)} is given twice.")
    labels = {str(k): str(v) for k, v in (metadata.get("labels") or {}).items()}
    # The resources are the template's: a change to them is refused above.
    config = Config(str(containers[0]["image"]), env, seen.template.resources, labels)
    return TemplateChange(config, str(metadata.get("name") or ""))


def _but_env(container: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in container.items() if k not in {"env", "image"}}


def _variable(row: Any, index: int) -> Variable:
    """An EnvVar as gcloud sends it: a value (gcloud leaves an empty one out), or a
    secretKeyRef (its key the version, ``latest`` when left out)."""
    if not isinstance(row, Mapping) or not row.get("name"):
        raise Refused(400, "INVALID_ARGUMENT", f"{ENV}[{index}].name: a name is required.")
    source = row.get("valueFrom")
    if source is None:
        return Variable(str(row["name"]), str(row.get("value") or ""))
    ref = source.get("secretKeyRef") if isinstance(source, Mapping) else None
    if "value" in row or not isinstance(ref, Mapping) or not ref.get("name") or len(source) > 1:
        raise Refused(
            400,
            "INVALID_ARGUMENT",
            f"{ENV}[{index}]: the sandbox takes a value or a valueFrom.secretKeyRef only.",
        )
    return Variable(
        str(row["name"]), secret=str(ref["name"]), version=str(ref.get("key") or "latest")
    )
