"""A parsed Prometheus exposition (a Snapshot): lookups by name and labels, and deltas.

Parsing is prometheus_client's; lookups and deltas work on its parsed samples, never on text.
Its quirks, handled here:

* a counter family drops ``_total`` from its name; its samples keep it;
* a counter's or histogram's creation time comes out as a family of its own, ``x_created``
  (a gauge, as prometheus_client writes the text format; untyped from other writers): it is
  bookkeeping of ``x``, so it is left out of the snapshot's families;
* a labelled metric that was never touched is a family with a ``# TYPE`` line and no samples;
* the parser is lax: an empty or comment-only body is zero families, ``ok 1`` is a valid sample.
"""

from __future__ import annotations

import difflib
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from prometheus_client.metrics_core import Metric
from prometheus_client.openmetrics.parser import (
    text_string_to_metric_families as parse_openmetrics,
)
from prometheus_client.parser import text_string_to_metric_families as parse_text

TEXT_CONTENT_TYPE = "text/plain"
OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text"
PROMETHEUS_CONTENT_TYPES = (TEXT_CONTENT_TYPE, OPENMETRICS_CONTENT_TYPE)
_SAMPLE_SUFFIX = {"counter": "_total", "histogram": "_count", "summary": "_count"}
_CREATED_PARENTS = ("counter", "histogram", "summary", "gaugehistogram")
# Metadata only: the names as declared on # TYPE lines, which the parser rewrites for counters.
_TYPE_LINE = re.compile(r"^#[ \t]+TYPE[ \t]+(\S+)[ \t]+(\S+)", re.MULTILINE)


class ExpositionError(ValueError):
    """The body is not a Prometheus exposition; the message says why."""


def media_type(content_type: str | None) -> str:
    """The bare media type of a Content-Type header, lower case."""
    return (content_type or "").split(";", 1)[0].strip().lower()


@dataclass(frozen=True)
class Snapshot:
    """One scrape, parsed: families by name, as declared, and which instance answered."""

    families: Mapping[str, Metric]
    declared: Mapping[str, str] = field(default_factory=dict)
    duplicates: tuple[str, ...] = ()
    fingerprint: str | None = None
    scraped_at: float = 0.0

    def family(self, name: str) -> Metric | None:
        """The family a contract name refers to; ``x_total`` finds the counter family ``x``."""
        found = self.families.get(name)
        if found is None and name.endswith("_total"):
            counter = self.families.get(name[: -len("_total")])
            if counter is not None and counter.type == "counter":
                return counter
        return found

    def value(self, name: str, labels: Mapping[str, str] | None = None) -> float | None:
        """The sum of the samples of ``name`` whose labels include ``labels``.

        None when the family is absent. A family that is present without a matching sample
        (a labelled metric never touched) is 0, which is what a counter's delta needs.
        """
        family = self.family(name)
        if family is None:
            return None
        wanted = family.name + _SAMPLE_SUFFIX.get(family.type, "")
        wanted_labels = (labels or {}).items()
        return float(
            sum(
                sample.value
                for sample in family.samples
                if sample.name == wanted
                and all(sample.labels.get(k) == v for k, v in wanted_labels)
            )
        )

    def names(self) -> list[str]:
        """Every family name as a contract spells it (``x_total`` for a counter), sorted."""
        return sorted(f"{n}_total" if f.type == "counter" else n for n, f in self.families.items())

    def closest(self, name: str, count: int = 3) -> list[str]:
        """The present names most like ``name``: a misspelt or renamed metric is the usual cause."""
        return difflib.get_close_matches(name, self.names(), n=count, cutoff=0.6)


def parse_exposition(
    text: str,
    content_type: str | None = TEXT_CONTENT_TYPE,
    *,
    fingerprint_metric: str = "process_start_time_seconds",
    scraped_at: float | None = None,
) -> Snapshot:
    """Parse a text or OpenMetrics exposition; raise ExpositionError when it is not one."""
    parser = (
        parse_openmetrics if media_type(content_type) == OPENMETRICS_CONTENT_TYPE else parse_text
    )
    families: dict[str, Metric] = {}
    duplicates: list[str] = []
    try:
        for family in parser(text):
            _add(families, duplicates, family)
    except (ValueError, TypeError, IndexError, KeyError) as err:
        raise ExpositionError(f"not a Prometheus exposition: {err or type(err).__name__}") from err
    snapshot = Snapshot(
        families=families,
        declared=dict(_TYPE_LINE.findall(text)),
        duplicates=tuple(duplicates),
        scraped_at=time.time() if scraped_at is None else scraped_at,
    )
    return replace(snapshot, fingerprint=instance_fingerprint(snapshot, fingerprint_metric))


def _add(families: dict[str, Metric], duplicates: list[str], family: Metric) -> None:
    name = family.name
    if family.type in {"unknown", "gauge"} and name.endswith("_created"):
        parent = families.get(name[: -len("_created")])
        if parent is not None and parent.type in _CREATED_PARENTS:
            return
    existing = families.get(name)
    if existing is None:
        families[name] = family
        return
    duplicates.append(name)
    existing.samples.extend(family.samples)


def instance_fingerprint(snapshot: Snapshot, metric: str) -> str | None:
    """What tells this instance apart: the value (and labels) of the fingerprint metric."""
    family = snapshot.family(metric)
    if family is None or not family.samples:
        return None
    sample = family.samples[0]
    return f"{series(metric, sample.labels)}={sample.value!r}"


def series(name: str, labels: Mapping[str, str], drop: Iterable[str] = ()) -> str:
    """A series in PromQL spelling, for messages and as a key: ``name{a="1",b="2"}``, or just
    ``name`` without labels (an empty name gives the label set alone)."""
    skipped = set(drop)
    inner = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()) if k not in skipped)
    return f"{name}{{{inner}}}" if inner else name
