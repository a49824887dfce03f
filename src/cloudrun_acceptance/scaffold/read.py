"""What `init --from-url` and `--from-service` read of the team's live service, and of its tree.

Each reader returns what it saw, or why it could not see it: the draft leaves a placeholder
there, and `init` says what was left to fill in. Nothing here writes a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..metrics.exposition import media_type
from ..model.contract import ExpectedMetric, MetricsRules
from ..model.errors import AdminApiError
from ..model.exchange import Exchange
from ..model.exposition import contract_name
from ..model.preflight import Dockerfile, Requirements
from ..model.service import ServiceFacts, ServiceRef

# Families the client library exposes by itself: listed, but commented out in the draft.
RUNTIME_PREFIXES = ("python_", "process_")
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
    """The exposition at ``url``: its families as the contract names them, or the problem."""

    path: str
    url: str
    expected: tuple[ExpectedMetric, ...] = ()
    runtime: tuple[ExpectedMetric, ...] = ()
    problem: str = ""


def read_url(
    url: str, *, health_path: str | None, metrics_path: str, timeout: float = 10.0
) -> tuple[HealthSeen | str | None, MetricsSeen]:
    """GET the health path (when given) and the metrics path of the live service at ``url``;
    the health answer is its expectations, or a problem (text), or None when not asked."""
    from ..probe.client import ServiceClient
    from ..probe.scrape import scrape

    client = ServiceClient(url.rstrip("/"), user_agent="cloudrun-acceptance init", timeout=timeout)
    try:
        health: HealthSeen | str | None = None
        if health_path is not None:
            answer = client.get(health_path)
            health = HealthSeen.of(health_path, answer) if answer.complete else answer.describe()
        taken = scrape(client, MetricsRules(path=metrics_path))
    finally:
        client.close()
    where = taken.exchange.url
    if taken.snapshot is None or not taken.usable:
        return health, MetricsSeen(
            metrics_path, where, problem=f"{taken.detail}: {taken.exchange.describe()}"
        )
    snapshot = taken.snapshot
    metrics = []
    for name, family in sorted(snapshot.families.items()):
        labels = sorted(
            {key for sample in family.samples for key in sample.labels} - {"le", "quantile"}
        )
        metrics.append(ExpectedMetric(contract_name(name, family.type), family.type, tuple(labels)))
    own = tuple(m for m in metrics if not m.name.startswith(RUNTIME_PREFIXES))
    runtime = tuple(m for m in metrics if m.name.startswith(RUNTIME_PREFIXES))
    return health, MetricsSeen(metrics_path, where, own, runtime)


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
