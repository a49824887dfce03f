"""The contract of a service, as plain values: what a good revision looks like.

The vocabularies the contract is written in (resource keys with their gcloud flags and report
titles, the settings it may default) are defined here once, for the loader, the checks and the
report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from .exposition import series
from .rollout import RolloutRules

SESSION_PLACEHOLDER = "{test_session}"
# What `init` writes where it could not read a value: the loader refuses it, naming its key.
FILL_IN = "<FILL IN"
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
class HealthRules:
    """What the health path must answer: a status, and JSON (with keys) or a body pattern.

    ``content_type``: the media type the answer must have ("" for any). ``body_pattern``: a
    regular expression the body must contain (``re.search``); without one, the body must be JSON,
    holding ``json_keys`` when it names any.
    """

    path: str
    status: int = 200
    content_type: str = ""
    json_keys: tuple[str, ...] = ()
    body_pattern: str = ""

    @property
    def expects_json(self) -> bool:
        """True unless a body pattern replaces the JSON expectation."""
        return not self.body_pattern

    def describe(self) -> str:
        """``200 with JSON``, ``200 text/plain matching '^ok$'``: what the check expects."""
        kind = f" {self.content_type}" if self.content_type else ""
        if self.body_pattern:
            return f"{self.status}{kind} matching {self.body_pattern!r}"
        keys = f" holding {', '.join(self.json_keys)}" if self.json_keys else ""
        return f"{self.status}{kind} with JSON{keys}"


BodyKind = Literal["json", "form", "raw"]


@dataclass(frozen=True)
class RequestSpec:
    """A request the contract describes: method, path, query, headers and a JSON, form or raw
    body, any of them holding ``{test_session}``. Header values may be credentials: they are
    sent, never shown."""

    method: str
    path: str
    query: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    body_kind: BodyKind | None = None
    body: Any = None

    def filled(self, test_session: str) -> RequestSpec:
        """The request with every ``{test_session}`` placeholder replaced."""

        def fill(value: Any) -> Any:
            if isinstance(value, str):
                return value.replace(SESSION_PLACEHOLDER, test_session)
            if isinstance(value, Mapping):
                return {key: fill(item) for key, item in value.items()}
            if isinstance(value, list):
                return [fill(item) for item in value]
            return value

        return replace(
            self,
            path=fill(self.path),
            query=fill(self.query),
            headers=fill(self.headers),
            body=fill(self.body),
        )


@dataclass(frozen=True)
class MetricsRules:
    """What the metrics endpoint must expose, and how the service says it is switched off:
    ``enable_env`` set to ``enable_value`` switches it on; ``disabled_pattern`` (a regular
    expression) recognises the answer it gives when off."""

    path: str = "/metrics"
    enable_env: str = ""
    enable_value: str = "true"
    disabled_pattern: str = ""
    expected: tuple[ExpectedMetric, ...] = ()
    min_present: int = 0
    fingerprint: str = "process_start_time_seconds"
    lint_fails_on: str = "contract"

    @property
    def switch(self) -> str:
        """``NAME=value``: the env var that switches the metrics on, or "" when none is named."""
        return f"{self.enable_env}={self.enable_value}" if self.enable_env else ""


@dataclass(frozen=True)
class AnalysisRules:
    """The mutating call (the service's action) and the counters it must move."""

    request: RequestSpec
    timeout_seconds: float = 60.0
    counter_deadline_seconds: float = 10.0
    counters: tuple[CounterRule, ...] = ()


@dataclass(frozen=True)
class CacheRules:
    """The repeated call that must be answered from the cache, within the budget."""

    request: RequestSpec
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
    """What the revision's logs must (and must not) show; ``max_entries``: the most a listing
    reads; ``reads_per_minute``: the project's read quota, which every read of the run keeps
    to together (entries:list calls a minute; 0: no pacing)."""

    startup_lines: tuple[str, ...] = ()
    error_severity: str = "report"
    max_entries: int = 1000
    reads_per_minute: int = 60


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class CompareRequest:
    """One kind of the comparison's request mix: its name (the report's row), the request, and
    its weight (its share of ``count``)."""

    name: str
    request: RequestSpec
    weight: int = 1

    @property
    def mutating(self) -> bool:
        """It changes the service's data (a method other than GET, HEAD and OPTIONS, or a
        ``{test_session}`` in it): sent only with a test session."""
        spec = self.request
        return spec.method not in SAFE_METHODS or SESSION_PLACEHOLDER in repr(spec)


@dataclass(frozen=True)
class CompareRules:
    """``compare:``: the candidate against the stable revision under one paired load, until
    every kind is decided (docs/how-to/compare.md; each key's default: the contract reference)."""

    requests: tuple[CompareRequest, ...]
    max_count: int = 8000
    concurrency: int = 4
    deadline_seconds: float = 180.0
    tolerance: float = 0.10
    confidence: float = 0.95
    min_samples: int = 30
    metrics: bool = True
    config: bool = True
    error_tolerance: float = 0.01
    # The older key: exchanges with each revision in all, shared among the kinds by weight.
    count: int | None = None

    def budget_of(self, weight: int) -> int:
        """The most pairs of a kind of this weight: ``max_count``, or its share of ``count``."""
        if self.count is None:
            return self.max_count
        weights = sum(kind.weight for kind in self.requests)
        return max(1, round(self.count * weight / weights))


# An app as uvicorn and gunicorn take it: ``module:attribute``.
APP_REFERENCE = re.compile(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*")


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
class SandboxRules:
    """How ``--sandbox`` runs the team's own service instead of the example's reference service.

    ``command``: a shell command line (run by ``/bin/sh -c``) or an argument list; empty means
    the command of the source tree's Dockerfile. ``service``: its Cloud Run service name in the
    sandbox (empty: the source folder's name). ``env``: values that replace env.yaml's for the
    local run only (a container path, say). ``test_session``: the session the sandbox gives the
    mutating checks. ``start_timeout_seconds``: how long the service may take to listen.
    """

    command: str | tuple[str, ...] = ""
    service: str = ""
    env: Mapping[str, str] = field(default_factory=dict)
    test_session: str = "sandbox-session"
    start_timeout_seconds: float = 30.0


@dataclass(frozen=True)
class Contract:
    """The whole contract of one service. Nothing about a particular service lives in code: what
    is specific (paths, bodies, metrics, budgets) is required from the file; a section left out
    (metrics, analysis, cache) skips its checks, as ``checks.skip`` (``skipped_checks``) does."""

    path: Path
    sha256: str
    health: HealthRules
    http_timeout: float = 10.0
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    metrics: MetricsRules | None = None
    analysis: AnalysisRules | None = None
    cache: CacheRules | None = None
    revision: RevisionRules = RevisionRules()
    logs: LogRules = LogRules()
    preflight: PreflightRules = PreflightRules()
    sandbox: SandboxRules | None = None
    compare: CompareRules | None = None
    rollout: RolloutRules = field(default_factory=RolloutRules)
    defaults: Mapping[str, str] = field(default_factory=dict)
    skipped_checks: tuple[str, ...] = ()

    @property
    def health_path(self) -> str:
        """The health path."""
        return self.health.path
