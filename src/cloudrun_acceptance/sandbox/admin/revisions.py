"""The sandbox service's revisions as plain values; ``v2`` and ``knative`` render them.

Each revision is made from a ``Config`` (its image, its container's env in order, its resources,
and the labels of the template it came from), so a revision keeps its own env after the
service's template changes; in the candidate flow the stable revision has the config it runs
with, not the deploy's. An update whose template differs from the latest revision's is a
``TemplateChange``: a new revision, named after the service's history (``SERVICE-00005-xyz``).

A new revision becomes Ready, unless its image is pinned to the digest of a revision that failed
to start: the same image fails the same way. That is what ``gcloud run services update`` sends
after a failed deploy, as it pins the image to the digest of the latest created revision
(googlecloudsdk/command_lib/run/serverless_operations.py, ``_GetBaseRevision`` and
``_EnsureImageDigest``), so an env change alone does not bring a broken image back.
"""

from __future__ import annotations

import hashlib
import secrets
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ..platform.deployment import Deployment, Runtime

# What Cloud Run says of a revision whose container never listened, and the reason it gives
# (RevisionReason HEALTH_CHECK_CONTAINER_ERROR in v2, HealthCheckContainerError in v1).
HEALTH_CHECK_CONTAINER_ERROR = "HEALTH_CHECK_CONTAINER_ERROR"


def not_ready_message(name: str) -> str:
    """What Cloud Run says of a revision whose container never listened."""
    return (
        f"Revision '{name}' is not ready and cannot serve traffic. The user-provided container "
        "failed to start and listen on the port defined provided by the PORT=8080 environment "
        "variable within the allocated timeout."
    )


@dataclass(frozen=True)
class Variable:
    """One env var of a container: a plain ``value``, or with ``secret`` the value of that
    Secret Manager secret at ``version``."""

    name: str
    value: str = ""
    secret: str = ""
    version: str = ""


@dataclass(frozen=True)
class Config:
    """What a revision is made from, as far as the sandbox lets it change: the image (by tag,
    or pinned by digest), the container's env in order, its resources (the contract's keys:
    cpu, memory, timeout_seconds, max_instances, min_instances), and the template's labels."""

    image: str
    env: tuple[Variable, ...]
    resources: Mapping[str, str]
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TemplateChange:
    """An update's revision template, when it may differ from the service's: the config it
    asks for, and the revision name it gives (empty: the next one in the history)."""

    config: Config
    name: str = ""


@dataclass(frozen=True)
class Revision:
    """One revision of the service: its name, when it was created, whether it became Ready,
    which generation of the service's configuration made it (1 for the first deploy), and the
    config it runs."""

    name: str
    created: datetime
    ready: bool
    configuration_generation: int
    config: Config

    @property
    def failure(self) -> str:
        """The Ready condition's message when the revision failed, else empty."""
        return "" if self.ready else not_ready_message(self.name)

    @property
    def image_digest(self) -> str:
        """The image by digest, as the revision's status gives it (stable when tags are not)."""
        image = self.config.image
        if "@sha256:" in image:
            return image
        digest = hashlib.sha256(self.name.encode()).hexdigest()
        return f"{image.rsplit(':', 1)[0]}@sha256:{digest}"


def runtime_config(image: str, runtime: Runtime) -> Config:
    """The config of a revision that runs with ``runtime``: its env's values, then its
    secrets, and its resources."""
    plain = tuple(Variable(key, value) for key, value in runtime.env.items())
    refs = tuple(
        Variable(ref.env, secret=ref.secret, version=ref.version) for ref in runtime.secrets
    )
    return Config(image, plain + refs, dict(runtime.resources))


def revisions(deployment: Deployment) -> dict[str, Revision]:
    """Every revision, oldest first: a good one, a failed deploy, the one under check, and with
    the not_ready fault a newer failed one; each with the config it runs (the deploy's, but the
    candidate flow's stable revision's own)."""
    d = deployment
    created = d.created_at
    previous, older_failed, checked, failed = d.history
    history = [
        (previous, created - timedelta(hours=2), True),
        (older_failed, created - timedelta(hours=1), False),
        (checked, created, True),
    ]
    if d.behaviour.latest_not_ready:
        history.append((failed, created + timedelta(seconds=1), False))
    return {
        name: Revision(name, when, ready, index, runtime_config(d.image, d.runtime_of(name)))
        for index, (name, when, ready) in enumerate(history, start=1)
    }


def new_revision(
    service: str, existing: Mapping[str, Revision], change: TemplateChange
) -> Revision:
    """The revision a template change creates: the name the change gives, else the next in the
    history (numbered after the highest, a random three-letter suffix, as Cloud Run names
    them), created after every other one; Ready unless its image is the digest of a revision
    that failed (``failed_digests``)."""
    number = max((r.configuration_generation for r in existing.values()), default=0) + 1
    name = change.name
    while not name or name in existing:
        suffix = "".join(secrets.choice(string.ascii_lowercase) for _ in range(3))
        name = f"{service}-{number:05d}-{suffix}"
    newest = max((r.created for r in existing.values()), default=datetime.now(UTC))
    created = max(datetime.now(UTC), newest + timedelta(microseconds=1))
    ready = change.config.image not in failed_digests(existing)
    return Revision(name, created, ready, number, change.config)


def failed_digests(existing: Mapping[str, Revision]) -> frozenset[str]:
    """The images, by digest, of the revisions that failed to start."""
    return frozenset(r.image_digest for r in existing.values() if not r.ready)


def container_name(deployment: Deployment) -> str:
    """The name Cloud Run gives the one container of a service deployed by gcloud."""
    return f"{deployment.service}-1"
