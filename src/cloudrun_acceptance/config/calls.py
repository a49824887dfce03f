"""The contract's sections about what the gate sends and expects: health, analysis and cache.

A request is any method, path, query and headers with a JSON, form or raw body, each of them
allowed to hold ``{test_session}``; health expects a status and JSON (with keys) or a pattern.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..model.contract import (
    AnalysisRules,
    BodyKind,
    CacheRules,
    CounterRule,
    HealthRules,
    RequestSpec,
)
from .yamlnode import Node, shown

REQUEST_KEYS = ("method", "path", "query", "headers", "body", "form", "raw")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
# The contract's key of each body, and the kind of body it gives.
BODIES: Mapping[str, BodyKind] = {"body": "json", "form": "form", "raw": "raw"}


def health_rules(node: Node) -> HealthRules:
    """``health:``: the path, and what it must answer."""
    node.require("give the service's health path: health: {path: /healthz}")
    node.mapping(("path", "status", "content_type", "json_keys", "body_pattern"))
    path = node.child("path")
    path.require("give the service's health path, such as /healthz")
    keys = tuple(item.text("") for item in node.child("json_keys").items())
    pattern = node.child("body_pattern").pattern("")
    if keys and pattern:
        node.child("body_pattern").fail(
            "is given with json_keys", "give json_keys for a JSON answer, or body_pattern for text"
        )
    status = node.child("status").integer(200, positive=True)
    if not 100 <= status <= 599:
        node.child("status").fail(f"{status} is not an HTTP status", "give one, such as 200")
    return HealthRules(
        path=path.path(""),
        status=status,
        content_type=node.child("content_type").text("").strip().lower(),
        json_keys=keys,
        body_pattern=pattern,
    )


def request_spec(node: Node, base: RequestSpec | None = None) -> RequestSpec:
    """A request: ``method``, ``path``, ``query``, ``headers`` and at most one body (``body``:
    JSON, ``form``: fields, ``raw``: text). Without ``base`` the path is required and the method
    is POST unless given; with it, what is not given is the base's, but for the body, which is
    always the section's own."""
    given = [key for key in BODIES if node.child(key).present()]
    if len(given) > 1:
        node.child(given[1]).fail(
            f"is given with {given[0]}", "give one body: body (JSON), form (fields) or raw (text)"
        )
    method = node.child("method").text(base.method if base else "POST").upper()
    if method not in METHODS:
        node.child("method").fail(f"{method!r} is not an HTTP method", "use " + ", ".join(METHODS))
    if base is None:
        node.child("path").require("give the path of the call, such as /api/work")
    body: object = None
    if given == ["body"]:
        body = node.child("body").value
        if not isinstance(body, Mapping | list):
            node.child("body").fail(
                f"expected a JSON object or list, got {shown(body)}",
                "write a mapping, or use raw: for a body of text",
            )
    elif given == ["form"]:
        body = node.child("form").string_map()
    elif given == ["raw"]:
        body = node.child("raw").text("")

    def pairs(key: str, inherited: Mapping[str, str]) -> dict[str, str]:
        child = node.child(key)
        return child.string_map() if child.present() else dict(inherited)

    return RequestSpec(
        method=method,
        path=node.child("path").path(base.path if base else ""),
        query=pairs("query", base.query if base else {}),
        headers=pairs("headers", base.headers if base else {}),
        body_kind=BODIES[given[0]] if given else None,
        body=body,
    )


def analysis_rules(node: Node) -> AnalysisRules | None:
    """``analysis:``: the action, its deadline, and the counters it must move."""
    if not node.present():
        return None
    node.mapping((*REQUEST_KEYS, "timeout_seconds", "counter_deadline_seconds", "counters"))
    return AnalysisRules(
        request=request_spec(node),
        timeout_seconds=node.child("timeout_seconds").number(60.0, positive=True),
        counter_deadline_seconds=node.child("counter_deadline_seconds").number(10.0),
        counters=counter_rules(node.child("counters")),
    )


def cache_rules(node: Node, analysis: AnalysisRules | None) -> CacheRules | None:
    """``cache:``: the repeated call (the analysis's request, changed where it says), its budget."""
    if not node.present():
        return None
    node.mapping((*REQUEST_KEYS, "budget_seconds", "samples", "counters"))
    node.child("budget_seconds").require("give the latency budget of a cached answer, such as 0.3")
    if analysis is None:
        node.fail(
            "needs an analysis section: the cache check repeats the analysis call",
            "add analysis: with its path and body",
        )
    return CacheRules(
        request=request_spec(node, analysis.request),
        budget_seconds=node.child("budget_seconds").number(0.0, positive=True),
        samples=node.child("samples").integer(3, positive=True),
        counters=counter_rules(node.child("counters")),
    )


def counter_rules(node: Node) -> tuple[CounterRule, ...]:
    """``counters:``: the series an action must increase, and by how much at least."""
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
