"""A Cloud Run service and revision as the Admin API describes them, in plain values.

No protobuf reaches this module: the google layer converts. Values of secrets are never read,
only their references (secret name and version).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

SERVICE_NAME_LENGTH = 49


@dataclass(frozen=True)
class ServiceRef:
    """A Cloud Run service by project, region and name."""

    project: str
    region: str
    service: str

    @property
    def name(self) -> str:
        """The Admin API resource name."""
        return f"projects/{self.project}/locations/{self.region}/services/{self.service}"


@dataclass(frozen=True)
class SecretMount:
    """An env var filled from Secret Manager: the secret's short name and its version."""

    secret: str
    version: str

    def __str__(self) -> str:
        return f"{self.secret}:{self.version}"


@dataclass(frozen=True)
class TrafficRow:
    """One line of the service's traffic: a revision's share, its tag and the tag's URL."""

    revision: str
    percent: int
    latest: bool = False
    tag: str = ""
    uri: str = ""

    def __str__(self) -> str:
        latest = " (LATEST)" if self.latest else ""
        tag = f" tag={self.tag}" if self.tag else ""
        uri = f" {self.uri}" if self.uri else ""
        return f"{self.percent:>3}% -> {self.revision}{latest}{tag}{uri}"


@dataclass(frozen=True)
class RevisionSummary:
    """A revision of the service's history: when it was created, and whether it became Ready."""

    name: str
    created: datetime | None
    ready: bool | None


@dataclass(frozen=True)
class RevisionFacts:
    """A revision as deployed. Env values of secrets are never read: only their references.
    ``ready`` is None while the Ready condition is undecided (pending, reconciling).
    ``concurrency``: the most requests an instance takes at once (None: not set)."""

    name: str
    created: datetime | None = None
    ready: bool | None = None
    ready_reason: str = ""
    ready_message: str = ""
    image: str = ""
    env: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, SecretMount] = field(default_factory=dict)
    resources: Mapping[str, str] = field(default_factory=dict)
    service_account: str = ""
    concurrency: int | None = None


@dataclass(frozen=True)
class ServiceAddress:
    """Where the revision under check answers, and its name: what points the gate at it,
    never what judges it."""

    url: str
    revision: str
    tag: str = ""

    def __str__(self) -> str:
        tag = f" (tag {self.tag})" if self.tag else ""
        return f"revision {self.revision}{tag} at {self.url}"


@dataclass(frozen=True)
class ServiceFacts:
    """The service, the revision under check, and the latest created one when it differs.

    ``tag`` and ``tag_url``: the traffic tag the revision was found by (``--tag``), and its URL as
    the API reports it. ``etag``, ``generation``, ``observed_generation`` and ``reconciling``:
    what an update and the wait for a deploy to settle need. ``history``: every revision.
    ``updated``: when the service last changed (its traffic, say: a canary phase's start).
    """

    ref: ServiceRef
    uri: str
    urls: tuple[str, ...]
    latest_ready: str
    latest_created: str
    traffic: tuple[TrafficRow, ...]
    revision: RevisionFacts
    pinned: bool = False
    newest: RevisionFacts | None = None
    tag: str = ""
    tag_url: str = ""
    etag: str = ""
    generation: int = 0
    observed_generation: int = 0
    reconciling: bool = False
    waited: float = 0.0
    history: tuple[RevisionSummary, ...] = ()
    updated: datetime | None = None

    @property
    def address(self) -> ServiceAddress:
        """The URL the checks use (the tag's, when found by a tag) and the revision's name."""
        return ServiceAddress(self.tag_url or self.uri, self.revision.name, self.tag)

    def share_of(self, revision: str) -> int:
        """The percentage of traffic the revision serves."""
        return sum(row.percent for row in self.traffic if row.revision == revision)

    @property
    def settled(self) -> bool:
        """The deploy has settled: the service is not reconciling, the revision under check has
        a decided Ready, and the latest generation is observed, or the reconcile failed (the
        revision under check, or a newer one, failed: then ``observed_generation`` stays at
        the last serving state's, the v2 reference says of ``reconciling``)."""
        if self.reconciling or self.revision.ready is None:
            return False
        failed = self.revision.ready is False or (
            self.newest is not None and self.newest.ready is False
        )
        return self.observed_generation >= self.generation or failed

    def rollback_target(self) -> str | None:
        """The newest revision created before the checked one that became Ready."""
        checked = next((r for r in self.history if r.name == self.revision.name), None)
        if checked is None or checked.created is None:
            return None
        born = checked.created
        older = [
            (r.created, r.name)
            for r in self.history
            if r.ready and r.name != checked.name and r.created is not None and r.created < born
        ]
        return max(older)[1] if older else None


def folder_service_name(folder: Path) -> str:
    """A folder's name made a Cloud Run service name (``My_Shop`` -> ``my-shop``): lower-case
    letters, digits and hyphens, starting with a letter."""
    slug = re.sub(r"[^a-z0-9]+", "-", folder.resolve().name.lower()).strip("-")
    if not slug[:1].isalpha():
        slug = f"service-{slug}".rstrip("-")
    return slug[:SERVICE_NAME_LENGTH].rstrip("-")
