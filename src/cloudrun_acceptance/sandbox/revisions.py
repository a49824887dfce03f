"""The sandbox service's revisions as plain values; adminv2 and knative render them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .deployment import Deployment

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
class Revision:
    """One revision of the service: its name, when it was created, whether it became Ready,
    and which generation of the service's configuration made it (1 for the first deploy)."""

    name: str
    created: datetime
    ready: bool
    configuration_generation: int

    @property
    def failure(self) -> str:
        """The Ready condition's message when the revision failed, else empty."""
        return "" if self.ready else not_ready_message(self.name)


def revisions(deployment: Deployment) -> dict[str, Revision]:
    """Every revision, oldest first: a good one, a failed deploy, the one under check, and with
    the not_ready fault a newer failed one."""
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
        name: Revision(name, when, ready, index)
        for index, (name, when, ready) in enumerate(history, start=1)
    }


def container_name(deployment: Deployment) -> str:
    """The name Cloud Run gives the one container of a service deployed by gcloud."""
    return f"{deployment.service}-1"
