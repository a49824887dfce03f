"""Parsing a text or OpenMetrics exposition into a Snapshot, with prometheus_client's parsers.

Its quirks, handled here:

* a counter family drops ``_total`` from its name; its samples keep it;
* a counter's or histogram's creation time comes out as a family of its own, ``x_created``
  (a gauge, as prometheus_client writes the text format; untyped from other writers): it is
  bookkeeping of ``x``, so it is left out of the snapshot's families;
* the parser is lax: an empty or comment-only body is zero families, ``ok 1`` is a valid sample.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace

from prometheus_client.metrics_core import Metric
from prometheus_client.openmetrics.parser import (
    text_string_to_metric_families as parse_openmetrics,
)
from prometheus_client.parser import text_string_to_metric_families as parse_text

from ..model.errors import ExpositionError
from ..model.exposition import Snapshot, series

TEXT_CONTENT_TYPE = "text/plain"
OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text"
PROMETHEUS_CONTENT_TYPES = (TEXT_CONTENT_TYPE, OPENMETRICS_CONTENT_TYPE)
_CREATED_PARENTS = ("counter", "histogram", "summary", "gaugehistogram")
# Metadata only: the names as declared on # TYPE lines, which the parser rewrites for counters.
_TYPE_LINE = re.compile(r"^#[ \t]+TYPE[ \t]+(\S+)[ \t]+(\S+)", re.MULTILINE)


def media_type(content_type: str | None) -> str:
    """The bare media type of a Content-Type header, lower case."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def parse_exposition(
    text: str,
    content_type: str | None = TEXT_CONTENT_TYPE,
    *,
    fingerprint_metric: str = "process_start_time_seconds",
    scraped_at: float | None = None,
) -> Snapshot:
    """Parse a text or OpenMetrics exposition; raise ExpositionError when it is not one."""
    openmetrics = media_type(content_type) == OPENMETRICS_CONTENT_TYPE
    parser = parse_openmetrics if openmetrics else parse_text
    declared = dict(_TYPE_LINE.findall(text))
    families: dict[str, Metric] = {}
    duplicates: list[str] = []
    try:
        for family in parser(text):
            _add(families, duplicates, family, declared)
    except (ValueError, TypeError, IndexError, KeyError) as err:
        raise ExpositionError(f"not a Prometheus exposition: {err or type(err).__name__}") from err
    snapshot = Snapshot(
        families=families,
        declared=declared,
        duplicates=tuple(duplicates),
        scraped_at=time.time() if scraped_at is None else scraped_at,
        openmetrics=openmetrics,
    )
    return replace(snapshot, fingerprint=instance_fingerprint(snapshot, fingerprint_metric))


def _add(
    families: dict[str, Metric], duplicates: list[str], family: Metric, declared: dict[str, str]
) -> None:
    name = declared_name(family, declared)
    if family.type in {"unknown", "gauge"} and name.endswith("_created"):
        parent = families.get(name[: -len("_created")]) or families.get(
            name[: -len("_created")] + "_total"
        )
        if parent is not None and parent.type in _CREATED_PARENTS:
            return
    existing = families.get(name)
    if existing is None:
        families[name] = family
        return
    duplicates.append(name)
    existing.samples.extend(family.samples)


def declared_name(family: Metric, declared: dict[str, str]) -> str:
    """The family's name as its ``# TYPE`` line spells it: the parser drops a counter's
    ``_total``, and keeping it tells the counter ``x_total`` from a gauge ``x``."""
    if family.type == "counter" and declared.get(f"{family.name}_total") == "counter":
        return f"{family.name}_total"
    return str(family.name)


def instance_fingerprint(snapshot: Snapshot, metric: str) -> str | None:
    """What tells this instance apart: the value (and labels) of the fingerprint metric."""
    family = snapshot.family(metric)
    if family is None or not family.samples:
        return None
    sample = family.samples[0]
    return f"{series(metric, sample.labels)}={sample.value!r}"
