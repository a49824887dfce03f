"""The sandbox service's traffic: who serves its URL and its tag URLs, changed by an update.

One mutable table shared by the local Admin API (which describes it in v2 and in v1, and which
either protocol's update replaces) and the front of the service (which logs each request under
the revision that served it). Targets are plain values, in neither protocol's shape.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .deployment import CANDIDATE_TAG, Deployment


@dataclass(frozen=True)
class Target:
    """One traffic target: a share for the latest ready revision (``revision`` None) or for a
    named one, and an optional tag (its own URL)."""

    revision: str | None
    percent: int = 0
    tag: str = ""

    @property
    def latest(self) -> bool:
        """Whether the target follows the latest ready revision."""
        return self.revision is None


@dataclass
class Traffic:
    """The service's traffic targets (as set) and where each URL leads."""

    deployment: Deployment
    targets: list[Target] = field(default_factory=list)
    tag_port: int | None = None
    # The revision a latest target leads to; a delete of it moves this to an older one.
    latest_ready: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if not self.targets:
            self.targets = initial_targets(self.deployment)
        self.latest_ready = self.latest_ready or self.deployment.revision

    def set(self, targets: Sequence[Target]) -> None:
        """What an update asked for."""
        with self._lock:
            self.targets = list(targets)

    def current(self) -> list[Target]:
        """A copy of the targets as set."""
        with self._lock:
            return list(self.targets)

    def statuses(self) -> list[dict[str, Any]]:
        """The traffic as served: each target with its revision named (the latest ready one for
        a latest target), its share, and a tag with the tag's URL."""
        statuses = []
        for target in self.current():
            status: dict[str, Any] = {
                "revision": target.revision or self.latest_ready,
                "percent": target.percent,
                "latest": target.latest,
            }
            if target.tag:
                status.update(tag=target.tag, uri=self.deployment.tag_url)
            statuses.append(status)
        return statuses

    def serving(self) -> frozenset[str]:
        """The revisions that can receive traffic: a share of the service URL's, or a tag."""
        return frozenset(s["revision"] for s in self.statuses() if s["percent"] or s.get("tag"))

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
        serving = max(statuses, key=lambda status: int(status["percent"]))
        return str(serving["revision"])


def initial_targets(deployment: Deployment) -> list[Target]:
    """The traffic a deploy left: all to the new revision; a split left from a canary; or, for
    a candidate deployed with --no-traffic --tag, all to the previous one and the tag on it."""
    behaviour, new = deployment.behaviour, deployment.revision
    previous = deployment.previous_revision
    if behaviour.flow == "candidate":
        targets = [Target(previous, 100)]
        tagged = {"on_new": new, "on_previous": previous}.get(behaviour.tag)
        if tagged is not None:
            targets.append(Target(tagged, 0, CANDIDATE_TAG))
        return targets
    if behaviour.traffic_split:
        return [Target(new, 50), Target(previous, 50)]
    return [Target(None, 100)]
