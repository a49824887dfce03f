"""A Cloud Run service and revision as the Admin API describes them, in plain values.

No protobuf reaches this module: the google layer converts. Values of secrets are never read,
only their references (secret name and version).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


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
    """One line of the service's traffic status."""

    revision: str
    percent: int
    latest: bool = False
    tag: str = ""

    def __str__(self) -> str:
        latest = " (LATEST)" if self.latest else ""
        tag = f" tag={self.tag}" if self.tag else ""
        return f"{self.percent:>3}% -> {self.revision}{latest}{tag}"


@dataclass(frozen=True)
class RevisionFacts:
    """A revision as deployed. Env values of secrets are never read: only their references."""

    name: str
    created: datetime | None = None
    ready: bool | None = None
    ready_reason: str = ""
    ready_message: str = ""
    image: str = ""
    env: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, SecretMount] = field(default_factory=dict)
    resources: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ServiceFacts:
    """The service, the revision under check, and the latest created one when it differs."""

    ref: ServiceRef
    uri: str
    urls: tuple[str, ...]
    latest_ready: str
    latest_created: str
    traffic: tuple[TrafficRow, ...]
    revision: RevisionFacts
    pinned: bool = False
    newest: RevisionFacts | None = None

    def share_of(self, revision: str) -> int:
        """The percentage of traffic the revision serves."""
        return sum(row.percent for row in self.traffic if row.revision == revision)
