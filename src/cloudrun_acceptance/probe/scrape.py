"""One scrape of the metrics path: GET, check the answer is an exposition, parse it."""

from __future__ import annotations

import re

from ..metrics.exposition import PROMETHEUS_CONTENT_TYPES, media_type, parse_exposition
from ..model.contract import MetricsRules
from ..model.errors import ExpositionError
from ..model.observations import ProblemKind, Scrape
from .client import ServiceClient

_PROBLEMS: dict[str, ProblemKind] = {"deadline": "deadline", "too_large": "too_large"}


def scrape(client: ServiceClient, rules: MetricsRules) -> Scrape:
    """GET the metrics and parse them; never trust "it parsed" alone. An answer that matches the
    contract's ``disabled_pattern`` (of any status) is the service saying its metrics are off."""
    exchange = client.get(rules.path)
    if exchange.error is not None:
        problem = _PROBLEMS.get(exchange.error_kind or "transport", "unreachable")
        return Scrape(exchange, problem=problem, detail=exchange.error)
    if exchange.refusal is not None:
        return Scrape(
            exchange, problem="refused", detail=f"refused by Cloud Run ({exchange.status})"
        )
    if rules.disabled_pattern and re.search(rules.disabled_pattern, exchange.body):
        return Scrape(
            exchange, problem="disabled", detail=f"the body matches {rules.disabled_pattern!r}"
        )
    if exchange.status != 200:
        return Scrape(exchange, problem="status", detail=f"status {exchange.status}")
    kind = media_type(exchange.content_type)
    if kind not in PROMETHEUS_CONTENT_TYPES:
        return Scrape(exchange, problem="content_type", detail=f"content type {kind or '(none)'}")
    try:
        snapshot = parse_exposition(
            exchange.body,
            exchange.content_type,
            fingerprint_metric=rules.fingerprint,
            scraped_at=exchange.started_at,
        )
    except ExpositionError as err:
        return Scrape(exchange, problem="unparsable", detail=str(err))
    if not snapshot.families:
        return Scrape(exchange, snapshot, problem="empty", detail="no metric family")
    if all(family.type == "unknown" for family in snapshot.families.values()):
        return Scrape(exchange, snapshot, problem="untyped", detail="no family declares a # TYPE")
    return Scrape(exchange, snapshot)
