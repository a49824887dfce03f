"""Load and validate the contract (contract.yaml) into the model's frozen dataclasses.

Unknown keys are errors, so a typo cannot silently switch a check off; so is a placeholder that
`cloudrun-acceptance init` left where it could not read a value. Every problem is a ConfigError
naming the file, the key path, the value and the fix.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path

from ..metrics.names import METRIC_TYPES, is_metric_name
from ..model.contract import (
    APP_REFERENCE,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULTABLE_SETTINGS,
    RESOURCE_KEYS,
    Contract,
    ExpectedMetric,
    LogRules,
    MetricsRules,
    PreflightRules,
    RevisionRules,
    SandboxRules,
    SecretRef,
)
from .calls import analysis_rules, cache_rules, health_rules
from .compare import compare_rules
from .format import check_version, skipped_checks
from .rollout import rollout_rules
from .yamlnode import Node, read_yaml

SECTIONS = (
    "health",
    "http",
    "metrics",
    "analysis",
    "cache",
    "revision",
    "logs",
    "preflight",
    "sandbox",
    "compare",
    "rollout",
    "defaults",
    "checks",
    "version",
)


def load_contract(path: Path) -> Contract:
    """Read and validate a contract file."""
    document, data = read_yaml(path, "contract", "pass --contract PATH to an existing file")
    root = Node(document, "", path)
    if isinstance(document, Mapping):
        check_version(root)
    sections = root.mapping(SECTIONS)
    root.refuse_placeholders()
    metrics = _metrics(root.child("metrics"))
    analysis = analysis_rules(root.child("analysis"))
    if analysis is not None and metrics is None:
        root.child("analysis").fail(
            "needs a metrics section: the check reads its counters from the exposition",
            "add metrics: with the path of the metrics endpoint",
        )
    timeout, max_body_bytes = _http(root.child("http"))
    health = health_rules(root.child("health"))
    cache = cache_rules(root.child("cache"), analysis)
    return Contract(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        health=health,
        http_timeout=timeout,
        max_body_bytes=max_body_bytes,
        metrics=metrics,
        analysis=analysis,
        cache=cache,
        revision=_revision(root.child("revision")),
        logs=_logs(root.child("logs")),
        preflight=_preflight(root.child("preflight")),
        sandbox=_sandbox(root.child("sandbox"), given="sandbox" in sections),
        compare=compare_rules(root.child("compare"), health, cache, given="compare" in sections),
        rollout=rollout_rules(root.child("rollout")),
        defaults=_defaults(root.child("defaults")),
        skipped_checks=skipped_checks(root.child("checks")),
    )


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
            "disabled_pattern",
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
        disabled_pattern=node.child("disabled_pattern").pattern(""),
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
    node.mapping(("startup_lines", "error_severity", "max_entries", "reads_per_minute"))
    return LogRules(
        startup_lines=tuple(item.re2_pattern() for item in node.child("startup_lines").items()),
        error_severity=node.child("error_severity").choice(("report", "fail"), "report"),
        max_entries=node.child("max_entries").integer(1000, positive=True),
        reads_per_minute=node.child("reads_per_minute").integer(LogRules.reads_per_minute),
    )


PREFLIGHT_KEYS = ("command", "app_dir", "app", "port", "required_paths", "requirements", "env_file")


# A project name (PEP 508's rule), alone or pinned to a plain release (``name==1.2``,
# ``name>=0.20``): a requirement surely, read without packaging's parsers (about 15 ms to
# import, on every run's critical path). Anything else is packaging's to judge.
PLAIN_REQUIREMENT = re.compile(
    r"(?i:[A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])(?:\s*(?:==|>=)\s*[0-9]+(?:\.[0-9]+)*)?"
)


def _parse_requirement(item: Node, text: str) -> None:
    """Fail ``item`` unless packaging reads ``text`` as a requirement (as pip does)."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        Requirement(text)
    except InvalidRequirement as err:
        why = str(err).splitlines()[0]  # packaging adds lines pointing at the column
        item.fail(f"{text!r} is not a requirement ({why})", "write it as pip takes it")


def _preflight(node: Node) -> PreflightRules:
    if not node.present():
        return PreflightRules()
    # A list given, even empty, is the contract's; only a key left out takes the default.
    given = node.mapping(PREFLIGHT_KEYS)
    app = node.child("app").text("")
    if app and not APP_REFERENCE.fullmatch(app):
        node.child("app").fail(f"{app!r} is not module:attribute", "write it as uvicorn takes it")
    app_dir = node.child("app_dir").text("").strip("/")
    defaults = PreflightRules().required_paths + ((f"{app_dir}/",) if app_dir else ())
    paths = tuple(item.text("") for item in node.child("required_paths").items())
    paths = paths if "required_paths" in given else defaults
    requirements = []
    for item in node.child("requirements").items():
        text = item.text("")
        if not PLAIN_REQUIREMENT.fullmatch(text):
            _parse_requirement(item, text)
        requirements.append(text)
    return PreflightRules(
        command=node.child("command").text(""),
        app_dir=app_dir,
        app=app,
        port=node.child("port").integer(8080, positive=True),
        required_paths=paths,
        requirements=tuple(requirements)
        if "requirements" in given
        else PreflightRules().requirements,
        env_file=node.child("env_file").text("env.yaml"),
    )


# A Cloud Run service name: lower-case letters, digits and hyphens, starting with a letter.
SERVICE_NAME = re.compile(r"[a-z]([-a-z0-9]{0,47}[a-z0-9])?")


def _sandbox(node: Node, *, given: bool) -> SandboxRules | None:
    """``sandbox:`` (even empty) runs the team's own service for --sandbox."""
    if not given:
        return None
    if not node.present():
        return SandboxRules()
    node.mapping(("command", "service", "env", "test_session", "start_timeout_seconds"))
    command_node = node.child("command")
    command: str | tuple[str, ...]
    if isinstance(command_node.value, list):
        command = tuple(item.text("") for item in command_node.items())
        if not command:
            command_node.fail("is an empty list", "give the program and its arguments")
    else:
        command = command_node.text("")
    service = node.child("service").text("")
    if service and not SERVICE_NAME.fullmatch(service):
        node.child("service").fail(
            f"{service!r} is not a Cloud Run service name",
            "use lower-case letters, digits and hyphens, starting with a letter",
        )
    return SandboxRules(
        command=command,
        service=service,
        env=node.child("env").string_map(),
        test_session=node.child("test_session").text("sandbox-session"),
        start_timeout_seconds=node.child("start_timeout_seconds").number(30.0, positive=True),
    )


def _defaults(node: Node) -> Mapping[str, str]:
    if not node.present():
        return {}
    return {key: node.child(key).text("") for key in node.mapping(DEFAULTABLE_SETTINGS)}
