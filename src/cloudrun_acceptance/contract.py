"""Load and validate the contract (contract.yaml) and the expected revision env (env.yaml).

Both are read once into frozen dataclasses. A problem is a UsageError that names the file, the
key path (``metrics.expected[3].type``), the value and the fix. Unknown keys are errors, so a typo
cannot silently switch a check off.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pytest
import yaml

from .exposition import series

METRIC_TYPES = ("counter", "gauge", "histogram", "summary", "info", "stateset", "unknown")
SESSION_PLACEHOLDER = "{test_session}"
DEFAULTABLE_SETTINGS = ("ready_timeout", "logs_timeout", "inconclusive")
RESOURCE_KEYS = ("cpu", "memory", "timeout_seconds", "max_instances", "min_instances")


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
class Contract:
    """The whole contract of one service. Nothing about a particular service lives in code:
    what is specific (paths, bodies, metrics, budgets) is required from the file, and a section
    left out (metrics, analysis, cache) skips its checks."""

    path: Path
    sha256: str
    health_path: str
    http_timeout: float = 10.0
    metrics: MetricsRules | None = None
    analysis: AnalysisRules | None = None
    cache: CacheRules | None = None
    revision: RevisionRules = RevisionRules()
    logs: LogRules = LogRules()
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


class _Node:
    """A value inside a YAML document, with its key path, for precise error messages."""

    def __init__(self, value: object, where: str, source: Path) -> None:
        self.value = value
        self.where = where
        self.source = source

    def fail(self, problem: str, fix: str) -> NoReturn:
        place = f"{self.where}: " if self.where else ""
        raise pytest.UsageError(f"{self.source}: {place}{problem}; {fix}.")

    def mapping(self, allowed: tuple[str, ...]) -> Mapping[str, object]:
        if not isinstance(self.value, Mapping):
            self.fail(f"expected a mapping, got {_shown(self.value)}", "write key: value lines")
        for key in self.value:
            if key not in allowed:
                self.fail(f"unknown key {key!r}", "use one of " + ", ".join(allowed))
        return self.value

    def string_map(self) -> dict[str, str]:
        if self.value is None:
            return {}
        if not isinstance(self.value, Mapping):
            self.fail(f"expected a mapping, got {_shown(self.value)}", "write name: value lines")
        return {str(key): self.child(str(key)).text("") for key in self.value}

    def child(self, key: str) -> _Node:
        value = self.value.get(key) if isinstance(self.value, Mapping) else None
        return _Node(value, f"{self.where}.{key}" if self.where else key, self.source)

    def present(self) -> bool:
        return self.value is not None

    def require(self, fix: str) -> None:
        if self.value is None:
            self.fail("is missing", fix)

    def text(self, default: str) -> str:
        if self.value is None:
            return default
        if isinstance(self.value, bool) or not isinstance(self.value, str | int | float):
            self.fail(f"expected text, got {_shown(self.value)}", 'quote it: "value"')
        return str(self.value)

    def path(self, default: str) -> str:
        value = self.text(default)
        if not value.startswith("/"):
            self.fail(f"{value!r} is not a path", "start it with /, such as /healthz")
        return value

    def number(self, default: float, *, positive: bool = False) -> float:
        if self.value is None:
            return default
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            self.fail(f"expected a number, got {_shown(self.value)}", "write a number, such as 0.3")
        number = float(self.value)
        if not math.isfinite(number) or number < 0 or (positive and number == 0):
            bound = "greater than 0" if positive else "0 or more"
            self.fail(f"{self.value!r} is out of range", f"give a number {bound}")
        return number

    def integer(self, default: int, *, positive: bool = False) -> int:
        number = self.number(default, positive=positive)
        if number != int(number):
            self.fail(f"{self.value!r} is not a whole number", "write an integer")
        return int(number)

    def choice(self, choices: tuple[str, ...], default: str) -> str:
        value = self.text(default)
        if value not in choices:
            self.fail(f"{value!r} is not one of {', '.join(choices)}", f"use {choices[0]}")
        return value

    def items(self) -> list[_Node]:
        if self.value is None:
            return []
        if not isinstance(self.value, list):
            self.fail(f"expected a list, got {_shown(self.value)}", "write a YAML list (- item)")
        return [
            _Node(item, f"{self.where}[{index}]", self.source)
            for index, item in enumerate(self.value)
        ]


def _shown(value: object) -> str:
    kind = {bool: "a boolean", int: "a number", float: "a number", str: "text", list: "a list"}
    return (
        f"{kind.get(type(value), type(value).__name__)} ({value!r})"
        if value is not None
        else "nothing"
    )


def _read_yaml(path: Path, what: str, fix: str) -> tuple[object, bytes]:
    try:
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise pytest.UsageError(f"{what} {path} does not exist; {fix}.") from err
    except OSError as err:
        raise pytest.UsageError(f"{what} {path} cannot be read ({err.strerror}); {fix}.") from err
    try:
        return yaml.safe_load(data), data
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        place = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise pytest.UsageError(
            f"{what} {path} is not valid YAML{place}: {problem}; fix the syntax."
        ) from err


def load_contract(path: Path) -> Contract:
    """Read and validate a contract file."""
    document, data = _read_yaml(path, "contract", "pass --contract PATH to an existing file")
    root = _Node(document, "", path)
    root.mapping(("health", "http", "metrics", "analysis", "cache", "revision", "logs", "defaults"))
    metrics = _metrics(root.child("metrics"))
    analysis = _analysis(root.child("analysis"))
    cache = _cache(root.child("cache"))
    if analysis is not None and metrics is None:
        root.child("analysis").fail(
            "needs a metrics section: the check reads its counters from the exposition",
            "add metrics: with the path of the metrics endpoint",
        )
    if cache is not None and analysis is None:
        root.child("cache").fail(
            "needs an analysis section: the cache check repeats the analysis call",
            "add analysis: with its path and body",
        )
    return Contract(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        health_path=_health_path(root.child("health")),
        http_timeout=_http_timeout(root.child("http")),
        metrics=metrics,
        analysis=analysis,
        cache=cache,
        revision=_revision(root.child("revision")),
        logs=_logs(root.child("logs")),
        defaults=_defaults(root.child("defaults")),
    )


def _health_path(node: _Node) -> str:
    node.require("give the service's health path: health: {path: /healthz}")
    node.mapping(("path",))
    path = node.child("path")
    path.require("give the service's health path, such as /healthz")
    return path.path("")


def _http_timeout(node: _Node) -> float:
    if not node.present():
        return 10.0
    node.mapping(("timeout_seconds",))
    return node.child("timeout_seconds").number(10.0, positive=True)


def _metrics(node: _Node) -> MetricsRules | None:
    if not node.present():
        return None
    node.mapping(
        (
            "path",
            "enable_env",
            "enable_value",
            "expected",
            "min_present",
            "fingerprint",
            "lint_fails_on",
        )
    )
    expected = tuple(_expected_metric(item) for item in node.child("expected").items())
    names = [metric.name for metric in expected]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        node.child("expected").fail(f"{duplicates[0]!r} is listed twice", "list each metric once")
    min_present = node.child("min_present").integer(len(expected))
    if min_present > len(expected):
        node.child("min_present").fail(
            f"{min_present} is more than the {len(expected)} expected metrics",
            f"give at most {len(expected)}",
        )
    return MetricsRules(
        path=node.child("path").path("/metrics"),
        enable_env=node.child("enable_env").text(""),
        enable_value=node.child("enable_value").text("true"),
        expected=expected,
        min_present=min_present,
        fingerprint=node.child("fingerprint").text("process_start_time_seconds"),
        lint_fails_on=node.child("lint_fails_on").choice(("contract", "all", "none"), "contract"),
    )


def _expected_metric(node: _Node) -> ExpectedMetric:
    node.mapping(("name", "type", "labels"))
    name = node.child("name").text("")
    if not re.fullmatch(r"[a-zA-Z_:][a-zA-Z0-9_:]*", name):
        node.child("name").fail(f"{name!r} is not a metric name", "use letters, digits, _ and :")
    kind = node.child("type").text("")
    if kind not in METRIC_TYPES:
        node.child("type").fail(
            f"{kind!r} is not a metric type", "use one of " + ", ".join(METRIC_TYPES)
        )
    labels = tuple(item.text("") for item in node.child("labels").items())
    return ExpectedMetric(name=name, type=kind, labels=labels)


def _counter_rules(node: _Node) -> tuple[CounterRule, ...]:
    rules = []
    for item in node.items():
        item.mapping(("metric", "labels", "increase_at_least"))
        metric = item.child("metric").text("")
        if not metric:
            item.child("metric").fail(
                "is missing", "name the counter, such as metric: requests_total"
            )
        labels = item.child("labels").string_map()
        rules.append(
            CounterRule(metric, labels, item.child("increase_at_least").number(1.0, positive=True))
        )
    return tuple(rules)


def _body(node: _Node) -> Mapping[str, Any]:
    if not node.present():
        return {}
    if not isinstance(node.value, Mapping):
        node.fail(f"expected a JSON object, got {_shown(node.value)}", "write a mapping")
    return dict(node.value)


def _analysis(node: _Node) -> AnalysisRules | None:
    if not node.present():
        return None
    node.mapping(("path", "body", "timeout_seconds", "counter_deadline_seconds", "counters"))
    node.child("path").require("give the path of the call, such as /api/work")
    node.child("body").require("give its JSON body, with {test_session} where the session goes")
    return AnalysisRules(
        path=node.child("path").path(""),
        body=_body(node.child("body")),
        timeout_seconds=node.child("timeout_seconds").number(60.0, positive=True),
        counter_deadline_seconds=node.child("counter_deadline_seconds").number(10.0),
        counters=_counter_rules(node.child("counters")),
    )


def _cache(node: _Node) -> CacheRules | None:
    if not node.present():
        return None
    node.mapping(("body", "budget_seconds", "samples", "counters"))
    node.child("body").require("give the JSON body of the repeated (cached) call")
    node.child("budget_seconds").require("give the latency budget of a cached answer, such as 0.3")
    return CacheRules(
        body=_body(node.child("body")),
        budget_seconds=node.child("budget_seconds").number(0.0, positive=True),
        samples=node.child("samples").integer(3, positive=True),
        counters=_counter_rules(node.child("counters")),
    )


def _revision(node: _Node) -> RevisionRules:
    if not node.present():
        return RevisionRules()
    node.mapping(("traffic_percent", "unexpected_env", "secrets", "resources"))
    traffic = node.child("traffic_percent").integer(100)
    if traffic > 100:
        node.child("traffic_percent").fail(f"{traffic} is more than 100", "give a percentage")
    secrets = []
    for item in node.child("secrets").items():
        item.mapping(("env", "secret", "version"))
        env = item.child("env").text("")
        if not env:
            item.child("env").fail("is missing", "name the env var the secret is mounted as")
        secret = item.child("secret").text(env)
        version = item.child("version").text("latest")
        secrets.append(SecretRef(env=env, secret=secret, version=version))
    resources_node = node.child("resources")
    if resources_node.present():
        resources_node.mapping(RESOURCE_KEYS)
    resources = resources_node.string_map()
    return RevisionRules(
        traffic_percent=traffic,
        unexpected_env=node.child("unexpected_env").choice(("report", "fail"), "report"),
        secrets=tuple(secrets),
        resources=resources,
    )


def _logs(node: _Node) -> LogRules:
    if not node.present():
        return LogRules()
    node.mapping(("startup_lines", "error_severity", "max_entries"))
    lines = []
    for item in node.child("startup_lines").items():
        pattern = item.text("")
        try:
            re.compile(pattern)
        except re.error as err:
            item.fail(f"{pattern!r} is not a regular expression ({err})", "escape [ ] ( ) with \\")
        lines.append(pattern)
    return LogRules(
        startup_lines=tuple(lines),
        error_severity=node.child("error_severity").choice(("report", "fail"), "report"),
        max_entries=node.child("max_entries").integer(1000, positive=True),
    )


def _defaults(node: _Node) -> Mapping[str, str]:
    if not node.present():
        return {}
    return {key: node.child(key).text("") for key in node.mapping(DEFAULTABLE_SETTINGS)}


def load_env_file(path: Path) -> dict[str, str]:
    """Read env.yaml: env var names to string values, as ``gcloud --env-vars-file`` takes."""
    document, _ = _read_yaml(path, "env file", "pass --env-file PATH to an existing file")
    if document is None:
        return {}
    if not isinstance(document, Mapping):
        raise pytest.UsageError(
            f'env file {path} must be a mapping of NAME: "value" lines, got {_shown(document)}; '
            'write one NAME: "value" per line.'
        )
    env: dict[str, str] = {}
    for key, value in document.items():
        if not isinstance(key, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise pytest.UsageError(
                f"env file {path}: {key!r} is not an env var name; use letters, digits and _."
            )
        if not isinstance(value, str):
            raise pytest.UsageError(
                f"env file {path}: {key} is {_shown(value)}, not a string, and gcloud "
                f'--env-vars-file takes strings only; quote it: {key}: "{_yaml_text(value)}".'
            )
        env[key] = value
    return env


def _yaml_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
