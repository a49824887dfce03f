"""The contract of a service, as plain values: what a good revision looks like.

The vocabularies the contract is written in (resource keys with their gcloud flags and report
titles, the settings it may default) are defined here once, for the loader, the checks and the
report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .exposition import series

SESSION_PLACEHOLDER = "{test_session}"
# The cap of every body the gate reads (http.max_body_bytes): far above any real exposition.
DEFAULT_MAX_BODY_BYTES = 16 * 2**20
DEFAULTABLE_SETTINGS = ("ready_timeout", "logs_timeout", "inconclusive")


@dataclass(frozen=True)
class Resource:
    """A resource setting of a revision: its contract key, its title and its gcloud flag."""

    key: str
    title: str
    flag: str


RESOURCES: tuple[Resource, ...] = (
    Resource("cpu", "CPU", "--cpu"),
    Resource("memory", "Memory", "--memory"),
    Resource("timeout_seconds", "Timeout (s)", "--timeout"),
    Resource("max_instances", "Max instances", "--max-instances"),
    Resource("min_instances", "Min instances", "--min-instances"),
)
RESOURCE_KEYS = tuple(resource.key for resource in RESOURCES)
RESOURCES_BY_KEY = {resource.key: resource for resource in RESOURCES}


@dataclass(frozen=True)
class ExpectedMetric:
    """A metric family the service must expose, with its type and label names."""

    name: str
    type: str
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class CounterRule:
    """A counter series that must increase by at least ``increase_at_least`` after an action."""

    metric: str
    labels: Mapping[str, str] = field(default_factory=dict)
    increase_at_least: float = 1.0

    @property
    def series(self) -> str:
        """The series in PromQL spelling, for messages: ``name{label="value"}``."""
        return series(self.metric, self.labels)


@dataclass(frozen=True)
class MetricsRules:
    """What the metrics endpoint must expose."""

    path: str = "/metrics"
    enable_env: str = ""
    enable_value: str = "true"
    expected: tuple[ExpectedMetric, ...] = ()
    min_present: int = 0
    fingerprint: str = "process_start_time_seconds"
    lint_fails_on: str = "contract"


@dataclass(frozen=True)
class AnalysisRules:
    """The mutating call and the counters it must move."""

    path: str
    body: Mapping[str, Any]
    timeout_seconds: float = 60.0
    counter_deadline_seconds: float = 10.0
    counters: tuple[CounterRule, ...] = ()


@dataclass(frozen=True)
class CacheRules:
    """The repeated call that must be answered from the cache, within the budget."""

    body: Mapping[str, Any]
    budget_seconds: float
    samples: int = 3
    counters: tuple[CounterRule, ...] = ()


@dataclass(frozen=True)
class SecretRef:
    """An env var of the revision that must come from a Secret Manager secret at a version."""

    env: str
    secret: str
    version: str


@dataclass(frozen=True)
class RevisionRules:
    """What the revision must carry, as described by the Cloud Run Admin API."""

    traffic_percent: int = 100
    unexpected_env: str = "report"
    secrets: tuple[SecretRef, ...] = ()
    resources: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LogRules:
    """What the revision's logs must (and must not) show."""

    startup_lines: tuple[str, ...] = ()
    error_severity: str = "report"
    max_entries: int = 1000


@dataclass(frozen=True)
class PreflightRules:
    """What the service's source tree must hold before a deploy (``--preflight``).

    ``command``, ``app_dir`` and ``app``: what the container's command must run (a program,
    its ``--app-dir``, the ``module:attribute`` of the app); empty means not checked.
    ``requirements``: requirement strings the service must list (a specifier asks for a pin).
    """

    command: str = ""
    app_dir: str = ""
    app: str = ""
    port: int = 8080
    required_paths: tuple[str, ...] = ("Dockerfile", "requirements.txt")
    requirements: tuple[str, ...] = ("prometheus-client",)
    env_file: str = "env.yaml"


@dataclass(frozen=True)
class Contract:
    """The whole contract of one service. Nothing about a particular service lives in code:
    what is specific (paths, bodies, metrics, budgets) is required from the file, and a section
    left out (metrics, analysis, cache) skips its checks."""

    path: Path
    sha256: str
    health_path: str
    http_timeout: float = 10.0
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    metrics: MetricsRules | None = None
    analysis: AnalysisRules | None = None
    cache: CacheRules | None = None
    revision: RevisionRules = RevisionRules()
    logs: LogRules = LogRules()
    preflight: PreflightRules = PreflightRules()
    defaults: Mapping[str, str] = field(default_factory=dict)


def render_body(body: Mapping[str, Any], test_session: str) -> dict[str, Any]:
    """The request body with every ``{test_session}`` placeholder replaced."""

    def fill(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace(SESSION_PLACEHOLDER, test_session)
        if isinstance(value, Mapping):
            return {key: fill(item) for key, item in value.items()}
        if isinstance(value, list):
            return [fill(item) for item in value]
        return value

    return {key: fill(value) for key, value in body.items()}
