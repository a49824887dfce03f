"""The sandbox service's traffic: who serves its URL and its tag URLs, changed by an update.

One mutable table shared by the local Admin API (which describes it in v2 and in v1, and which
either protocol's update replaces) and the front of the service (which sends each request to the
revision its port leads to, and logs it under that revision). Targets are plain values, in
neither protocol's shape.

A tag URL (``https://TAG---SERVICE-HASH.a.run.app`` on Cloud Run) is a port of its own here: the
launcher binds a few before the server starts, and the table gives one to each tag name as it
first appears, for good (as a tag's URL on Cloud Run depends on its name alone).

The service URL leads to the revision with the largest share; with ``Behaviour.split_routing``,
as on Cloud Run, each of its requests goes to a revision drawn by the shares (a revision at 0%
gets none), from a generator seeded per sandbox start.

The table also keeps when each revision's share last changed and last rose (on its ``clock``),
as what a revision does can depend on how long it has served its share (``Serving``), and every
split the service URL has had, from when (``splits``, on the ``wall`` clock: the simulated users
route by it, at any past moment).
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .deployment import CANDIDATE_TAG, Deployment, loopback_url


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


@dataclass(frozen=True)
class Split:
    """The service URL's traffic from ``at`` (seconds since the epoch) until the next split:
    each revision's share (percent)."""

    at: float
    shares: Mapping[str, int]


@dataclass
class Traffic:
    """The service's traffic targets (as set) and where each URL leads.

    ``tag_ports``: the ports bound for tag URLs, handed out to tags as they appear; without
    any (a table no server answers), every tag has the deployment's ``tag_url``. ``seed``
    seeds the draws of the split routing (one per sandbox start). ``clock``: seconds, for when
    shares change (a test gives its own).
    """

    deployment: Deployment
    targets: list[Target] = field(default_factory=list)
    tag_ports: tuple[int, ...] = ()
    # The revision a latest target leads to; a delete of it moves this to an older one.
    latest_ready: str = ""
    seed: int = 0
    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    _ports: dict[str, int] = field(default_factory=dict)  # tag -> its port, once given
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _draws: random.Random = field(init=False, repr=False)
    # revision -> when (clock) an update last changed its share, and last raised it.
    _changed: dict[str, float] = field(default_factory=dict)
    _rose: dict[str, float] = field(default_factory=dict)
    # Each split of the service URL's traffic and when (wall clock) it began, oldest first.
    _splits: list[Split] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._draws = random.Random(self.seed)
        if not self.targets:
            self.targets = initial_targets(self.deployment)
        self.latest_ready = self.latest_ready or self.deployment.revision
        self._place(t.tag for t in self.targets if t.tag)
        # The deploy's shares are served from the start; none of them rose by an update.
        started = self.clock()
        self._changed = dict.fromkeys(self._shares_of(self.targets), started)
        self._splits = [Split(self.wall(), self._shares_of(self.targets))]

    @property
    def tag_capacity(self) -> int:
        """How many tags can have a URL of their own."""
        return len(self.tag_ports)

    def set(self, targets: Sequence[Target]) -> None:
        """What an update asked for (its new tags get their URLs); a revision whose share it
        changes has served its new share since now."""
        with self._lock:
            now = self.clock()
            before = self._shares_of(self.targets)
            self.targets = list(targets)
            self._place(t.tag for t in self.targets if t.tag)
            after = self._shares_of(self.targets)
            for revision in before.keys() | after.keys():
                old, new = before.get(revision, 0), after.get(revision, 0)
                if new != old:
                    self._changed[revision] = now
                if new > old:
                    self._rose[revision] = now
            if after != before:
                self._splits.append(Split(self.wall(), after))

    def splits(self) -> tuple[Split, ...]:
        """Every split the service URL's traffic has had, oldest first (the deploy's first)."""
        with self._lock:
            return tuple(self._splits)

    def since_changed(self, revision: str) -> float:
        """Seconds since an update last changed the share of ``revision`` (since the deploy for
        a share it set; infinite for a revision that never had one)."""
        with self._lock:
            return self.clock() - self._changed.get(revision, -math.inf)

    def since_rose(self, revision: str) -> float:
        """Seconds since an update last raised the share of ``revision`` (infinite: never)."""
        with self._lock:
            return self.clock() - self._rose.get(revision, -math.inf)

    def current(self) -> list[Target]:
        """A copy of the targets as set."""
        with self._lock:
            return list(self.targets)

    def _place(self, tags: Iterable[str]) -> None:
        free = [port for port in self.tag_ports if port not in self._ports.values()]
        for tag in tags:
            if tag not in self._ports and free:
                self._ports[tag] = free.pop(0)

    def without_url(self, tags: Iterable[str]) -> list[str]:
        """The ``tags`` that would get no URL of their own: new ones beyond the free ports."""
        if not self.tag_ports:
            return []
        with self._lock:
            free = len(self.tag_ports) - len(self._ports)
            new = [tag for tag in dict.fromkeys(tags) if tag not in self._ports]
        return new[free:]

    def tags_with_url(self) -> list[str]:
        """Every tag that was given a URL, in the order they were."""
        with self._lock:
            return list(self._ports)

    def tag_url(self, tag: str) -> str:
        """The URL of ``tag``: its own port's, else the deployment's tag URL."""
        with self._lock:
            port = self._ports.get(tag)
        return loopback_url(port) if port is not None else self.deployment.tag_url

    def tag_urls(self) -> dict[str, str]:
        """The URL of every tag the traffic has now."""
        return {t.tag: self.tag_url(t.tag) for t in self.current() if t.tag}

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
                status.update(tag=target.tag, uri=self.tag_url(target.tag))
            statuses.append(status)
        return statuses

    def serving(self) -> frozenset[str]:
        """The revisions that can receive traffic: a share of the service URL's, or a tag."""
        return frozenset(s["revision"] for s in self.statuses() if s["percent"] or s.get("tag"))

    def shares(self) -> dict[str, int]:
        """The service URL's traffic: each revision's share (percent), the latest ready one's
        for a latest target; a revision at 0% (a tag only) is not in it."""
        return self._shares_of(self.current())

    def _shares_of(self, targets: Iterable[Target]) -> dict[str, int]:
        shares: dict[str, int] = {}
        for target in targets:
            if target.percent:
                revision = target.revision or self.latest_ready
                shares[revision] = shares.get(revision, 0) + target.percent
        return shares

    def share_of(self, revision: str) -> int:
        """The share (percent) of the service URL's traffic that ``revision`` serves."""
        return self.shares().get(revision, 0)

    def service_revision(self) -> str:
        """The revision the service URL leads to: the one with the largest share (the older one,
        with served_by_other)."""
        if self.deployment.behaviour.served_by_other:
            return self.deployment.previous_revision
        shares = self.shares() or {self.latest_ready: 0}
        return max(shares, key=lambda revision: shares[revision])

    def routed_revision(self) -> str:
        """The revision that answers one request to the service URL: with split routing, one
        drawn by the shares; else ``service_revision``."""
        behaviour = self.deployment.behaviour
        if not behaviour.split_routing or behaviour.served_by_other:
            return self.service_revision()
        shares = self.shares()
        if not shares:
            return self.service_revision()
        with self._lock:
            draw = self._draws.random()
        return pick_by_share(shares, draw)

    def revision_for(self, port: int) -> str:
        """The revision that answers a request on ``port``: a tag URL's own revision, else (the
        service URL, or a tag URL whose tag is gone) the service URL's."""
        tagged = self.tagged_revision(port)
        return self.routed_revision() if tagged is None else tagged

    def tagged_revision(self, port: int) -> str | None:
        """The revision whose tag's URL ``port`` is now, or None: the service URL's port (or a
        gone tag's), whose requests go where the service URL leads."""
        with self._lock:
            tags = [tag for tag, given in self._ports.items() if given == port]
        for status in self.statuses():
            if tags and status.get("tag") == tags[0]:
                return str(status["revision"])
        return None

    def url_of(self, revision: str) -> str | None:
        """A URL that leads to ``revision`` now: the service URL (with split routing, only when
        it serves every share), else one of its tags'; None when none does."""
        split = self.deployment.behaviour.split_routing and self.shares().keys() != {revision}
        if self.service_revision() == revision and not split:
            return self.deployment.service_url
        for status in self.statuses():
            if status.get("tag") and status["revision"] == revision:
                return str(status["uri"])
        return None


@dataclass(frozen=True)
class Serving:
    """What one revision's app sees of the service URL's traffic: the share it serves now, and
    for how long it has served it. Without a table, it serves all of it, and always has."""

    revision: str
    traffic: Traffic | None = None

    def share(self) -> int:
        """The percent of the service URL's traffic the revision serves now."""
        return 100 if self.traffic is None else self.traffic.share_of(self.revision)

    def held_seconds(self) -> float:
        """Seconds since an update last changed that share."""
        return math.inf if self.traffic is None else self.traffic.since_changed(self.revision)


def pick_by_share(shares: Mapping[str, int], draw: float) -> str:
    """The revision that a ``draw`` (uniform in [0, 1)) lands on when each revision takes its
    share of the line, in order: a revision at 0% is never picked."""
    total = sum(shares.values())
    point = draw * total
    reached = 0
    picked = ""
    for revision, share in shares.items():
        if share <= 0:
            continue
        picked = revision
        reached += share
        if point < reached:
            break
    return picked


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
