"""What ``promtool check metrics`` flags in an exposition, on parsed families, and more.

promtool's rules (client_golang's promlint), with its wording, each finding named by the metric
as the exposition declares it (``x_total``, as promtool prints it): help text, counters and
``_total``, base units, abbreviated units, names reserved for histograms and summaries, the type
in the name, ``:`` in the name, camelCase. The gate's own rules: a family declared twice, a
series repeated, histogram buckets that are not cumulative or lack ``+Inf``, ``_count`` unlike
the ``+Inf`` bucket.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from ..model.exposition import Family, Snapshot, series

# promlint's vocabulary: each unit and the base unit it should be exposed in.
BASE_UNITS = {
    **{unit: unit for unit in ("amperes", "bytes", "celsius", "grams", "joules", "kelvin")},
    **{unit: unit for unit in ("meters", "metres", "seconds", "volts")},
    **dict.fromkeys(("minutes", "hours", "days", "weeks"), "seconds"),
    "kelvins": "kelvin",
    "fahrenheit": "celsius",
    "rankine": "celsius",
    **dict.fromkeys(("inches", "yards", "miles"), "meters"),
    "bits": "bytes",
    "calories": "joules",
    "pounds": "grams",
    "ounces": "grams",
}
UNIT_PREFIXES = (
    "pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo", "kibi",
    "mega", "mibi", "giga", "gibi", "tera", "tebi", "peta", "pebi",
)  # fmt: skip
ABBREVIATED_UNITS = ("s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d")
TYPES_IN_NAMES = ("counter", "gauge", "summary", "histogram", "gauge_histogram")
_CAMEL = re.compile(r"[a-z][A-Z]")


@dataclass(frozen=True)
class Finding:
    """One lint problem of one metric, named as the exposition declares it."""

    family: str
    problem: str

    def __str__(self) -> str:
        return f"{self.family}: {self.problem}"


def lint(snapshot: Snapshot) -> list[Finding]:
    """Every finding, in a stable order: by metric, then problem."""
    findings = [Finding(name, "family is declared more than once") for name in snapshot.duplicates]
    for name, family in snapshot.families.items():
        findings += [Finding(name, problem) for problem in _promtool(name, family, snapshot)]
        findings += [Finding(name, problem) for problem in _duplicate_series(family)]
        if family.type == "histogram":
            findings += [Finding(name, problem) for problem in _histogram(family)]
    return sorted(set(findings), key=lambda f: (f.family, f.problem))


def _promtool(name: str, family: Family, snapshot: Snapshot) -> Iterator[str]:
    kind = family.type
    if not family.documentation:
        yield "no help text"
    unit = _unit(name)
    if unit is not None and BASE_UNITS[unit[1]] != unit[0]:
        yield f'use base unit "{BASE_UNITS[unit[1]]}" instead of "{unit[0]}"'
    total = name.endswith("_total")
    if kind == "counter" and not total and not snapshot.openmetrics:
        yield 'counter metrics should have "_total" suffix'
    if kind not in {"counter", "unknown"} and total:
        yield 'non-counter metrics should not have "_total" suffix'
    yield from _reserved(name, family)
    lowered = name.lower()
    for typename in TYPES_IN_NAMES:
        if f"_{typename}_" in lowered or lowered.endswith(f"_{typename}"):
            yield f"metric name should not include type '{typename}'"
    if ":" in name:
        yield "metric names should not contain ':'"
    if _CAMEL.search(name):
        yield "metric names should be written in 'snake_case' not 'camelCase'"
    if any(_CAMEL.search(label) for sample in family.samples for label in sample.labels):
        yield "label names should be written in 'snake_case' not 'camelCase'"
    if any(f"_{a}_" in lowered or lowered.endswith(f"_{a}") for a in ABBREVIATED_UNITS):
        yield "metric names should not contain abbreviated units"


def _unit(name: str) -> tuple[str, str] | None:
    """The first part of the name that is a unit, with or without a prefix: (as written, unit)."""
    for part in name.split("_"):
        if part in BASE_UNITS:
            return part, part
        for prefix in UNIT_PREFIXES:
            if part.startswith(prefix) and part[len(prefix) :] in BASE_UNITS:
                return part, part[len(prefix) :]
    return None


def _reserved(name: str, family: Family) -> Iterator[str]:
    """Names and labels that histograms and summaries reserve (not judged on untyped metrics)."""
    kind = family.type
    if kind == "unknown":
        return
    histogram, summary = kind == "histogram", kind == "summary"
    if not histogram and name.endswith("_bucket"):
        yield 'non-histogram metrics should not have "_bucket" suffix'
    for suffix in ("_count", "_sum"):
        if not histogram and not summary and name.endswith(suffix):
            yield f'non-histogram and non-summary metrics should not have "{suffix}" suffix'
    labels = {label for sample in family.samples for label in sample.labels}
    if not histogram and "le" in labels:
        yield 'non-histogram metrics should not have "le" label'
    if not summary and "quantile" in labels:
        yield 'non-summary metrics should not have "quantile" label'


def _duplicate_series(family: Family) -> Iterator[str]:
    # Keyed by the series' text: strings are not tracked by the garbage collector, so a large
    # exposition costs no more per line than a small one (tuples kept in the set would be).
    seen: set[str] = set()
    for sample in family.samples:
        key = series(sample.name, sample.labels)
        if key in seen:
            yield f"duplicate series {key}"
        seen.add(key)


def _histogram(family: Family) -> Iterator[str]:
    buckets: dict[str, list[tuple[float, float]]] = defaultdict(list)
    counts: dict[str, float] = {}
    for sample in family.samples:
        key = series("", sample.labels, drop=("le",))
        if sample.name == f"{family.name}_bucket":
            try:
                bound = float(sample.labels.get("le", ""))
            except ValueError:
                yield f"bucket {key} has no valid le label"
                continue
            buckets[key].append((bound, sample.value))
        elif sample.name == f"{family.name}_count":
            counts[key] = sample.value
    for key, bounds in buckets.items():
        bounds.sort()
        where = f" {key}" if key else ""
        if bounds[-1][0] != math.inf:
            yield f"histogram{where} has no +Inf bucket"
        elif key in counts and counts[key] != bounds[-1][1]:
            yield (
                f"histogram{where}: _count {counts[key]:g} differs from the +Inf bucket "
                f"{bounds[-1][1]:g}"
            )
        if any(later[1] < earlier[1] for earlier, later in itertools.pairwise(bounds)):
            yield f"histogram{where} buckets are not cumulative"
