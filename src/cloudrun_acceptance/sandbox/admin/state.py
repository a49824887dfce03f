"""The one state behind the local Admin API: the service, its revisions, its traffic and tags,
its version (the v2 etag and the v1 resourceVersion), generation, reconcile and IAM policy. The
service's template is its latest created revision's config; an update that changes it (the env
only: nothing else can be deployed here) creates a new revision.

A reconcile that fails is observed like one that succeeds (Knative bumps observedGeneration
"regardless of success or failure"; gcloud waits on it, then reads Ready): a failed latest created
revision makes ConfigurationsReady and Ready False, RoutesReady holds, and the latest ready
revision (where a latest target leads) stays the one before. Nothing is decided while it deploys.

The v2 surface (``v2``, for google-cloud-run) and the v1 Knative surface (``knative``, for gcloud)
only parse requests and render this state, so a change made through one is what the other reads
next. Refusals are ``Refused``, which each surface answers as the API does.
"""

from __future__ import annotations

import dataclasses
import secrets
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..platform.deployment import Deployment
from ..platform.traffic import Target, Traffic
from .iam import IamPolicy
from .refused import Refused, denied
from .revisions import Config, Revision, TemplateChange, new_revision, revisions

# How long an update's operation runs (and the service reconciles) before it is done.
OPERATION_SECONDS = 0.3


@dataclass(frozen=True)
class Snapshot:
    """The service as one read sees it."""

    generation: int
    observed_generation: int
    served_generation: int  # the generation the last successful reconcile served
    reconciling: bool
    configuring: bool  # the reconcile under way deploys a new revision (the deploy's, an update's)
    version: str
    updated: datetime
    targets: tuple[Target, ...]
    revisions: Mapping[str, Revision]
    latest_created: str
    latest_ready: str
    tag_urls: Mapping[str, str]

    @property
    def configurations_ready(self) -> bool | None:
        """ConfigurationsReady: None while a new revision deploys, then whether it became Ready."""
        return None if self.configuring else self.revisions[self.latest_created].ready

    @property
    def v2_observed_generation(self) -> int:
        """v2's observedGeneration: a failed reconcile leaves it at the last serving state's
        (the v2 reference of Service.reconciling), where Knative's v1 observes the failure."""
        failed = self.configurations_ready is False and not self.reconciling
        return self.served_generation if failed else self.observed_generation

    @property
    def routes_ready(self) -> bool | None:
        """RoutesReady: None while the service reconciles, then True."""
        return None if self.reconciling else True

    @property
    def ready(self) -> bool | None:
        """Ready, as Knative's living condition set makes it of the two others: False when
        either is (the latest created revision failed), None while either is undecided."""
        parts = (self.configurations_ready, self.routes_ready)
        return False if False in parts else None if None in parts else True

    @property
    def template(self) -> Config:
        """What the service makes its next revision from: its latest created revision's config."""
        return self.revisions[self.latest_created].config


class ServiceState:
    """The deployed service, as both surfaces of the local Admin API read and change it."""

    def __init__(self, deployment: Deployment, traffic: Traffic) -> None:
        self.deployment = deployment
        self.traffic = traffic
        self.revisions = revisions(deployment)
        self.generation = 3
        latest = max(self.revisions.values(), key=lambda r: r.created)
        self.served_generation = self.generation if latest.ready else self.generation - 1
        self.version = _version()
        self.updated = deployment.created_at
        self.reconciled_at = time.monotonic() + deployment.behaviour.reconcile_seconds
        self.configured_at = self.reconciled_at  # until when a new revision deploys
        self.operations: dict[str, float] = {}
        # Every update either surface accepted, as its body was sent.
        self.updates: list[dict[str, Any]] = []
        self.iam = IamPolicy(public=not deployment.behaviour.private)
        self._lock = threading.Lock()

    def snapshot(self) -> Snapshot:
        """The service now."""
        with self._lock:
            now = time.monotonic()
            reconciling = now < self.reconciled_at
            return Snapshot(
                generation=self.generation,
                observed_generation=self.generation - 1 if reconciling else self.generation,
                served_generation=self.served_generation,
                reconciling=reconciling,
                configuring=now < self.configured_at,
                version=self.version,
                updated=self.updated,
                targets=tuple(self.traffic.current()),
                revisions=dict(self.revisions),
                latest_created=max(self.revisions.values(), key=lambda r: r.created).name,
                latest_ready=self.traffic.latest_ready,
                tag_urls=self.traffic.tag_urls(),
            )

    def failed_to_start(self, name: str) -> None:
        """Revision ``name``'s container did not start (the team's own service exited, or never
        listened): its Ready condition is False, as Cloud Run's is for such a container
        (HealthCheckContainerError), and when it is the latest created, the service's too. The
        service URL still leads to it: the sandbox runs no older revision to fall back on."""
        with self._lock:
            self.revisions[name] = dataclasses.replace(self.revisions[name], ready=False)
            latest = max(self.revisions.values(), key=lambda r: r.created)
            if latest.name == name:
                self.served_generation = self.generation - 1

    def read(self) -> Snapshot:
        """A read of the service; with update_conflict, another deployer changes it right
        after, so an update with the version this read saw is refused."""
        seen = self.snapshot()
        if self.deployment.behaviour.update_status == 409:
            with self._lock:
                self.version = _version()
        return seen

    def replace(
        self,
        name: str,
        targets: Sequence[Target],
        version: str,
        body: Mapping[str, Any],
        called: str,
        *,
        change: TemplateChange | None = None,
    ) -> str:
        """Set the traffic (and tags) of service ``name`` and, when ``change`` differs from its
        template, create the new revision: the latest created, and the latest ready (where a
        latest target now leads) unless it failed, when the one before it keeps serving; refused
        when ``version`` (if given; the protocol ``called`` it etag or resourceVersion) is not
        the current one. Return the id of the operation that reconciles it."""
        d = self.deployment
        if d.behaviour.update_status == 403 or name != d.service:
            raise denied("run.services.update", f"{d.service_name[: -len(d.service)]}{name}")
        with self._lock:
            if version and version != self.version:
                raise Refused(
                    409,
                    "ABORTED",
                    f"Resource '{name}' has been modified since it was read ({called} "
                    f"{version!r} is not {self.version!r}). Please apply your changes to the "
                    "latest version and try again.",
                )
            created = self._revision_for(change)
            self._check(targets, created)
            self.updates.append(dict(body))
            operation = secrets.token_hex(8)
            done_at = time.monotonic() + OPERATION_SECONDS
            if created is not None:
                self.revisions[created.name] = created
                self.configured_at = max(self.configured_at, done_at)
                if created.ready:
                    self.traffic.latest_ready = created.name
            self.traffic.set(targets)
            self.generation += 1
            if created is None or created.ready:
                self.served_generation = self.generation
            self.version = _version()
            self.updated = datetime.now(UTC)
            self.operations[operation] = done_at
            self.reconciled_at = max(self.reconciled_at, done_at)
        return operation

    def _revision_for(self, change: TemplateChange | None) -> Revision | None:
        """The revision ``change`` creates; None when it leaves the template as it is, or names
        a revision that exists with its config."""
        if change is None:
            return None
        named = self.revisions.get(change.name)
        if named is not None and named.config != change.config:
            raise Refused(
                409,
                "ALREADY_EXISTS",
                f"Revision named '{change.name}' with different configuration already exists.",
            )
        latest = max(self.revisions.values(), key=lambda r: r.created)
        if named is not None or (not change.name and change.config == latest.config):
            return None
        return new_revision(self.deployment.service, self.revisions, change)

    def _check(self, targets: Sequence[Target], created: Revision | None) -> None:
        known = {*self.revisions, *([created.name] if created else [])}
        unknown = [t.revision for t in targets if t.revision and t.revision not in known]
        if unknown:
            raise Refused(
                400,
                "INVALID_ARGUMENT",
                f"Revision '{unknown[0]}' does not exist or is deleted. Update all traffic to "
                "route to currently available revisions.",
            )
        total = sum(t.percent for t in targets)
        if total != 100:
            raise Refused(
                400,
                "INVALID_ARGUMENT",
                f"The traffic percents must add up to 100; these add up to {total}.",
            )
        tags = [t.tag for t in targets if t.tag]
        if len(tags) != len(set(tags)):
            raise Refused(400, "INVALID_ARGUMENT", f"A tag is given twice: {', '.join(tags)}.")
        homeless = self.traffic.without_url(tags)
        if homeless:
            given = ", ".join(self.traffic.tags_with_url()) or "none yet"
            raise Refused(
                400,
                "FAILED_PRECONDITION",
                f"The sandbox serves {self.traffic.tag_capacity} tag URLs, bound as it started "
                f"(given to: {given}); this update's {', '.join(map(repr, homeless))} would "
                "need more.",
            )

    def operation_done(self, operation: str) -> bool | None:
        """Whether the operation finished; None if there is no such operation."""
        done_at = self.operations.get(operation)
        return None if done_at is None else time.monotonic() >= done_at

    def delete_revision(self, name: str) -> Revision:
        """Delete a revision, as Cloud Run allows: not one that can receive traffic (a share or
        a tag), not the latest one, not the only one (cloud.google.com/run/docs/managing/
        revisions, "Delete revisions")."""
        seen = self.snapshot()
        revision = seen.revisions.get(name)
        if revision is None:
            raise Refused(404, "NOT_FOUND", f"Resource '{name}' of kind 'REVISION' does not exist.")
        why = (
            "it is the only revision of the service"
            if len(seen.revisions) == 1
            else "it is the latest revision of the service"
            if name == seen.latest_created
            else "it can receive traffic"
            if name in self.traffic.serving()
            else ""
        )
        if why:
            raise Refused(
                400, "FAILED_PRECONDITION", f"Revision '{name}' cannot be deleted: {why}."
            )
        with self._lock:
            gone = self.revisions.pop(name)
            if name == self.traffic.latest_ready:
                ready = [r for r in self.revisions.values() if r.ready]
                if ready:
                    self.traffic.latest_ready = max(ready, key=lambda r: r.created).name
            return gone


def _version() -> str:
    return secrets.token_urlsafe(9)
