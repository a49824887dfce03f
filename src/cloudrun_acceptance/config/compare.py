"""``compare:``: the candidate against the stable revision, and the request mix of its load."""

from __future__ import annotations

from ..model.contract import (
    CacheRules,
    CompareRequest,
    CompareRules,
    HealthRules,
    RequestSpec,
)
from .calls import REQUEST_KEYS, request_spec
from .yamlnode import Node

COMPARE_KEYS = (
    "max_count",
    "count",
    "concurrency",
    "deadline_seconds",
    "tolerance",
    "confidence",
    "min_samples",
    "error_tolerance",
    "metrics",
    "config",
    "requests",
)
USES = ("health", "cache")


def compare_rules(
    node: Node, health: HealthRules, cache: CacheRules | None, *, given: bool
) -> CompareRules | None:
    """The section (``compare:`` alone takes every default), or None without one: then
    nothing extra is sent."""
    if not given:
        return None
    if node.present():
        node.mapping(COMPARE_KEYS)
    requests_node = node.child("requests")
    if requests_node.present():
        mix = tuple(_request(item, health, cache) for item in requests_node.items())
        if not mix:
            requests_node.fail("is an empty list", "list the requests to compare, or leave it out")
    else:
        mix = (CompareRequest("health", RequestSpec("GET", health.path)),)
        if cache is not None:
            mix += (CompareRequest("cached call", cache.request),)
    names = [kind.name for kind in mix]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        requests_node.fail(f"{twice[0]!r} is named twice", "give each request a name of its own")
    confidence = node.child("confidence").number(0.95, positive=True)
    if confidence >= 1:
        written = node.child("confidence").value
        node.child("confidence").fail(f"{written!r} is not below 1", "give 0.95, say")
    count = None
    if node.child("count").present():
        if node.child("max_count").present():
            node.child("count").fail(
                "is given with max_count",
                "keep max_count (the most exchanges with each revision per request kind) and "
                "drop count, its older spelling",
            )
        count = node.child("count").integer(600, positive=True)
        total_weight = sum(kind.weight for kind in mix)
        if count < total_weight:
            node.child("count").fail(
                f"{count} is fewer than the mix's {total_weight} weights",
                f"give at least {total_weight}, so every request is sent",
            )
    return CompareRules(
        requests=mix,
        max_count=node.child("max_count").integer(CompareRules.max_count, positive=True),
        count=count,
        concurrency=node.child("concurrency").integer(4, positive=True),
        deadline_seconds=node.child("deadline_seconds").number(
            CompareRules.deadline_seconds, positive=True
        ),
        tolerance=node.child("tolerance").number(0.10),
        confidence=confidence,
        min_samples=node.child("min_samples").integer(30, positive=True),
        error_tolerance=_share(node.child("error_tolerance"), CompareRules.error_tolerance),
        metrics=_flag(node.child("metrics")),
        config=_flag(node.child("config")),
    )


def _share(node: Node, default: float) -> float:
    """A share from 0 to 1 (0.01 is one percentage point)."""
    share = node.number(default)
    if share >= 1:
        node.fail(f"{node.value!r} is not below 1", "give a share such as 0.01 (one point)")
    return share


def _flag(node: Node) -> bool:
    if node.value is None:
        return True
    if not isinstance(node.value, bool):
        node.fail(f"expected true or false, got {node.value!r}", "write true or false")
    return node.value


def _request(node: Node, health: HealthRules, cache: CacheRules | None) -> CompareRequest:
    node.mapping(("name", "use", "weight", *REQUEST_KEYS))
    use = node.child("use").choice(("", *USES), "")
    weight = node.child("weight").integer(1, positive=True)
    if use == "health":
        spec = RequestSpec("GET", health.path)
    elif use == "cache":
        if cache is None:
            node.child("use").fail(
                "names the cache request, but the contract has no cache section",
                "add cache:, or describe the request here (method, path, body)",
            )
        spec = cache.request
    else:
        node.child("path").require("give the request's path, or use: health or use: cache")
        spec = request_spec(node, RequestSpec("GET", ""))
    if use and any(node.child(key).present() for key in REQUEST_KEYS):
        given = next(key for key in REQUEST_KEYS if node.child(key).present())
        node.child(given).fail(
            f"is given with use: {use}", f"leave it out: use: {use} sends that request as is"
        )
    name = node.child("name").text(use or "")
    if not name:
        node.child("name").require("name the request, such as name: search")
    return CompareRequest(name, spec, weight)
