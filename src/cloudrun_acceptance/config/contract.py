"""Load and validate the contract (contract.yaml) into the model's frozen dataclasses.

Unknown keys are errors, so a typo cannot silently switch a check off. Every problem is a
ConfigError naming the file, the key path, the value and the fix.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..metrics.names import METRIC_TYPES, is_metric_name
from ..model.contract import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULTABLE_SETTINGS,
    RESOURCE_KEYS,
    AnalysisRules,
    CacheRules,
    Contract,
    CounterRule,
    ExpectedMetric,
    LogRules,
    MetricsRules,
    PreflightRules,
    RevisionRules,
    SecretRef,
)
from .yamlnode import Node, read_yaml, shown


def load_contract(path: Path) -> Contract:
    """Read and validate a contract file."""
    document, data = read_yaml(path, "contract", "pass --contract PATH to an existing file")
    root = Node(document, "", path)
    root.mapping(
        (
            "health",
            "http",
            "metrics",
            "analysis",
            "cache",
            "revision",
            "logs",
            "preflight",
            "defaults",
        )
    )
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
        http_timeout=_http(root.child("http"))[0],
        max_body_bytes=_http(root.child("http"))[1],
        metrics=metrics,
        analysis=analysis,
        cache=cache,
        revision=_revision(root.child("revision")),
        logs=_logs(root.child("logs")),
        preflight=_preflight(root.child("preflight")),
        defaults=_defaults(root.child("defaults")),
    )


def _health_path(node: Node) -> str:
    node.require("give the service's health path: health: {path: /healthz}")
    node.mapping(("path",))
    path = node.child("path")
    path.require("give the service's health path, such as /healthz")
    return path.path("")


def _http(node: Node) -> tuple[float, int]:
    if not node.present():
        return 10.0, DEFAULT_MAX_BODY_BYTES
    node.mapping(("timeout_seconds", "max_body_bytes"))
    return (
        node.child("timeout_seconds").number(10.0, positive=True),
        node.child("max_body_bytes").integer(DEFAULT_MAX_BODY_BYTES, positive=True),
    )


def _metrics(node: Node) -> MetricsRules | None:
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


def _expected_metric(node: Node) -> ExpectedMetric:
    node.mapping(("name", "type", "labels"))
    name = node.child("name").text("")
    if not is_metric_name(name):
        node.child("name").fail(f"{name!r} is not a metric name", "use letters, digits, _ and :")
    kind = node.child("type").text("")
    if kind not in METRIC_TYPES:
        node.child("type").fail(
            f"{kind!r} is not a metric type", "use one of " + ", ".join(METRIC_TYPES)
        )
    labels = tuple(item.text("") for item in node.child("labels").items())
    return ExpectedMetric(name=name, type=kind, labels=labels)


def _counter_rules(node: Node) -> tuple[CounterRule, ...]:
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


def _body(node: Node) -> Mapping[str, Any]:
    if not node.present():
        return {}
    if not isinstance(node.value, Mapping):
        node.fail(f"expected a JSON object, got {shown(node.value)}", "write a mapping")
    return dict(node.value)


def _analysis(node: Node) -> AnalysisRules | None:
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


def _cache(node: Node) -> CacheRules | None:
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


def _revision(node: Node) -> RevisionRules:
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


def _logs(node: Node) -> LogRules:
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


def _preflight(node: Node) -> PreflightRules:
    if not node.present():
        return PreflightRules()
    # Imported here: loading a contract should not cost every run packaging's parsers.
    from packaging.requirements import InvalidRequirement, Requirement

    node.mapping(
        ("command", "app_dir", "app", "port", "required_paths", "requirements", "env_file")
    )
    app = node.child("app").text("")
    if app and not re.fullmatch(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*", app):
        node.child("app").fail(f"{app!r} is not module:attribute", "write it as uvicorn takes it")
    app_dir = node.child("app_dir").text("").strip("/")
    defaults = PreflightRules().required_paths + ((f"{app_dir}/",) if app_dir else ())
    paths = tuple(item.text("") for item in node.child("required_paths").items()) or defaults
    requirements = []
    for item in node.child("requirements").items():
        text = item.text("")
        try:
            Requirement(text)
        except InvalidRequirement as err:
            item.fail(f"{text!r} is not a requirement ({err})", "write it as pip takes it")
        requirements.append(text)
    return PreflightRules(
        command=node.child("command").text(""),
        app_dir=app_dir,
        app=app,
        port=node.child("port").integer(8080, positive=True),
        required_paths=paths,
        requirements=tuple(requirements) or PreflightRules().requirements,
        env_file=node.child("env_file").text("env.yaml"),
    )


def _defaults(node: Node) -> Mapping[str, str]:
    if not node.present():
        return {}
    return {key: node.child(key).text("") for key in node.mapping(DEFAULTABLE_SETTINGS)}
