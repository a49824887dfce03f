"""The sandbox service's traffic: who serves its URL and its tag URLs, changed by UpdateService.

One mutable table shared by the local Admin API (which describes it and updates it) and the
front of the service (which logs each request under the revision that served it).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .deployment import CANDIDATE_TAG, Deployment

LATEST, REVISION = 1, 2  # TrafficTargetAllocationType, as the API's JSON enums


@dataclass
class Traffic:
    """The service's traffic targets (``traffic``, as set) and where each URL leads."""

    deployment: Deployment
    targets: list[dict[str, Any]] = field(default_factory=list)
    tag_port: int | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if not self.targets:
            self.targets = initial_targets(self.deployment)

    def set(self, targets: Sequence[Mapping[str, Any]]) -> None:
        """What an UpdateService asked for."""
        with self._lock:
            self.targets = [dict(target) for target in targets]

    def statuses(self) -> list[dict[str, Any]]:
        """``trafficStatuses``: each target with its revision named, and a tag's URL."""
        with self._lock:
            targets = [dict(target) for target in self.targets]
        statuses = []
        for target in targets:
            status = {**target, "revision": self._revision_of(target)}
            if target.get("tag"):
                status["uri"] = self.deployment.tag_url
            statuses.append(status)
        return statuses

    def revision_for(self, port: int) -> str:
        """The revision that answers a request on ``port``: a tag URL's own revision, else the
        one with the largest share of the service URL's traffic."""
        statuses = self.statuses()
        if port == self.tag_port:
            tagged = [s["revision"] for s in statuses if s.get("tag")]
            if tagged:
                return str(tagged[0])
        if self.deployment.behaviour.served_by_other:
            return self.deployment.previous_revision
        serving = max(statuses, key=lambda status: int(status.get("percent", 0)))
        return str(serving["revision"])

    def _revision_of(self, target: Mapping[str, Any]) -> str:
        if target.get("type") in {LATEST, "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST"}:
            return self.deployment.revision
        return str(target.get("revision", "")).rsplit("/", 1)[-1]


def initial_targets(deployment: Deployment) -> list[dict[str, Any]]:
    """The traffic a deploy left: all to the new revision; a split left from a canary; or, for
    a candidate deployed with --no-traffic --tag, all to the previous one and the tag on it."""
    behaviour, new = deployment.behaviour, deployment.revision
    previous = deployment.previous_revision
    if behaviour.flow == "candidate":
        targets: list[dict[str, Any]] = [{"type": REVISION, "revision": previous, "percent": 100}]
        tagged = {"on_new": new, "on_previous": previous}.get(behaviour.tag)
        if tagged is not None:
            targets.append(
                {"type": REVISION, "revision": tagged, "percent": 0, "tag": CANDIDATE_TAG}
            )
        return targets
    if behaviour.traffic_split:
        return [
            {"type": REVISION, "revision": new, "percent": 50},
            {"type": REVISION, "revision": previous, "percent": 50},
        ]
    return [{"type": LATEST, "percent": 100}]
