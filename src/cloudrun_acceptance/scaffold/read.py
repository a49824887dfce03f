"""What `init --from-url` and `--from-service` read of the team's live service, and of its tree.

Each reader returns what it saw, or why it could not see it: the draft leaves a placeholder
there, and `init` says what was left to fill in. Nothing here writes a file.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..metrics.exposition import media_type
from ..model.contract import ExpectedMetric, MetricsRules
from ..model.errors import AdminApiError
from ..model.exchange import Exchange
from ..model.preflight import Dockerfile, Requirements
from ..model.service import ServiceFacts, ServiceRef
from .families import RESCRAPE_SECONDS, WARM_SECONDS, FamiliesSeen, duration, families_seen

SHORT_BODY = 40


@dataclass(frozen=True)
class HealthSeen:
    """The health path's answer: what the draft's health section expects."""

    path: str
    status: int
    content_type: str
    body_pattern: str = ""

    @classmethod
    def of(cls, path: str, answer: Exchange) -> HealthSeen:
        """The expectations a health answer gives: JSON as it is, or text by a pattern."""
        kind = media_type(answer.content_type)
        status = answer.status or 200
        if answer.json_or_none() is not None:
            return cls(path, status, "")
        text = answer.body.strip()
        short = len(text) <= SHORT_BODY and "\n" not in text
        pattern = f"^{re.escape(text)}$" if short else r"\S"
        return cls(path, status, kind, pattern)


@dataclass(frozen=True)
class MetricsSeen:
    """The exposition at ``url``: its families as the contract names them, grouped as the draft
    lists them, or the problem. ``rescraped_after``: the pause before the second scrape (None
    when there was one scrape)."""

    path: str
    url: str
    families: FamiliesSeen = field(default_factory=FamiliesSeen)
    problem: str = ""
    rescraped_after: float | None = None
    # Why the second scrape gave nothing to compare ("" when it did, or was not asked for).
    rescrape_problem: str = ""

    @property
    def expected(self) -> tuple[ExpectedMetric, ...]:
        """The families the draft requires."""
        return self.families.required

    @property
    def runtime(self) -> tuple[ExpectedMetric, ...]:
        """The runtime's and the client library's, commented out in the draft."""
        return self.families.library

    def describe(self) -> str:
        """What init read, for its output: the families by group, or the problem."""
        if self.problem:
            return f"no exposition at {self.path} ({self.problem})"
        families = self.families
        seen = f"{len(self.expected)} metric families at {self.path}"
        others = [
            f"{len(group)} {what}"
            for group, what in (
                (families.late, "that appeared late"),
                (families.first_only, "in the first scrape only"),
                (families.library, "of the runtime or client library"),
            )
            if group
        ]
        if others:
            seen += f" (and {', '.join(others)}, commented out)"
        if self.rescraped_after is not None:
            seen += f", scraped twice {self.rescraped_after:g} s apart"
        elif self.rescrape_problem:
            seen += f", scraped once (the second scrape failed: {self.rescrape_problem})"
        return seen

    def warm_note(self) -> list[str]:
        """A note when the instance read had run long enough to have registered late families."""
        up = self.families.uptime
        if self.problem or up is None or up < WARM_SECONDS:
            return []
        return [
            f"note  the instance read had been up {duration(up)}: a fresh one may lack a family "
            "the draft requires; pytest --sandbox starts the service afresh and names each "
            "(comment it out)"
        ]


def read_url(
    url: str,
    *,
    health_path: str | None,
    metrics_path: str,
    timeout: float = 10.0,
    rescrape_after: float = RESCRAPE_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[HealthSeen | str | None, MetricsSeen]:
    """GET the health path (when given) and the metrics path of the live service at ``url``,
    and the metrics path again ``rescrape_after`` seconds later (0: once) to see which families
    appear late; the health answer is its expectations, or a problem (text), or None when not
    asked."""
    from ..probe.client import ServiceClient
    from ..probe.scrape import scrape

    client = ServiceClient(url.rstrip("/"), user_agent="cloudrun-acceptance init", timeout=timeout)
    rules = MetricsRules(path=metrics_path)
    try:
        health: HealthSeen | str | None = None
        if health_path is not None:
            answer = client.get(health_path)
            health = HealthSeen.of(health_path, answer) if answer.complete else answer.describe()
        taken = scrape(client, rules)
        again = None
        if taken.snapshot is not None and taken.usable and rescrape_after > 0:
            sleep(rescrape_after)
            again = scrape(client, rules)
    finally:
        client.close()
    where = taken.exchange.url
    if taken.snapshot is None or not taken.usable:
        return health, MetricsSeen(
            metrics_path, where, problem=f"{taken.detail}: {taken.exchange.describe()}"
        )
    # A second scrape that failed leaves the first to stand alone, saying so.
    second = again.snapshot if again is not None and again.usable else None
    failed = f"{again.detail}: {again.exchange.describe()}" if again and second is None else ""
    return health, MetricsSeen(
        metrics_path,
        where,
        families_seen(taken.snapshot, second),
        rescraped_after=rescrape_after if second is not None else None,
        rescrape_problem=failed,
    )


def read_service(ref: ServiceRef, endpoint: str | None) -> ServiceFacts | AdminApiError:
    """The service and its latest ready revision, through the Admin API (as the gate reads it)."""
    from ..google.admin import describe_service

    try:
        return describe_service(ref, endpoint=endpoint)
    except AdminApiError as err:
        return err


@dataclass(frozen=True)
class TreeSeen:
    """The source tree's Dockerfile and requirements, for the pre-flight and sandbox sections."""

    root: Path
    dockerfile: Dockerfile
    requirements: Requirements
    has_gcloudignore: bool


def read_tree(root: Path) -> TreeSeen:
    """The Dockerfile and the requirements of the tree at ``root``."""
    from ..preflight.dockerfile import read_dockerfile
    from ..preflight.requirements import read_requirements

    return TreeSeen(
        root, read_dockerfile(root), read_requirements(root), (root / ".gcloudignore").is_file()
    )
