"""The target of a run: which URL, which Cloud Run service and revision, which API endpoints."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .service import ServiceRef
from .version import VERSION


@dataclass(frozen=True, kw_only=True)
class Target:
    """Where the gate points. Plain values only, so xdist workers receive it as JSON."""

    url: str | None
    url_origin: str
    project: str | None = None
    region: str | None = None
    service: str | None = None
    revision: str | None = None
    revision_origin: str = ""
    tag: str | None = None
    cloudrun_endpoint: str | None = None
    logging_endpoint: str | None = None
    monitoring_endpoint: str | None = None
    test_session: str | None = None
    session_origin: str = ""
    sandbox_faults: tuple[str, ...] = ()
    # With --sandbox: which service it runs (the example's reference service, or the team's own).
    sandbox_service: str = ""
    run_id: str = field(default_factory=lambda: secrets.token_hex(4))

    @property
    def user_agent(self) -> str:
        """The gate's User-Agent: the logs checks find the gate's own requests by it."""
        return f"cloudrun-acceptance/{VERSION} (run {self.run_id})"

    @property
    def ref(self) -> ServiceRef | None:
        """The Cloud Run service, when known."""
        if self.project and self.region and self.service:
            return ServiceRef(self.project, self.region, self.service)
        return None

    @property
    def label(self) -> str:
        """``service-revision`` when known, else the service or the URL's host: names reports."""
        if self.service and self.revision:
            revision = self.revision
            return (
                revision
                if revision.startswith(f"{self.service}-")
                else f"{self.service}-{revision}"
            )
        if self.service:
            return f"{self.service}-revision-unknown"
        host = urlsplit(self.url or "").hostname or "unknown-service"
        return host.replace(".", "-").replace(":", "-")

    def to_json(self) -> dict[str, Any]:
        """For xdist's workerinput."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Target:
        """From xdist's workerinput."""
        return cls(**{**data, "sandbox_faults": tuple(data.get("sandbox_faults", ()))})
