"""A parsed Prometheus exposition (a Snapshot): lookups by name and labels, for deltas and checks.

The families are prometheus_client's parsed objects, seen here through two small protocols
(``Family``, ``Sample``), so this module needs nothing but the standard library. Lookups and
deltas work on parsed samples, never on text. What the parser does that lookups must know:

* a counter family drops ``_total`` from its name; its samples keep it. The snapshot keys each
  family by the name the exposition declares on its ``# TYPE`` line (``x_total`` for that
  counter), so a gauge ``x`` beside a counter ``x_total`` (every Go exporter has such pairs)
  stays two families;
* a labelled metric that was never touched is a family with a ``# TYPE`` line and no samples.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

# The sample that carries a family's value, by family type: ``x_total`` of the counter ``x``.
SAMPLE_SUFFIX = {"counter": "_total", "histogram": "_count", "summary": "_count"}
# The samples of a histogram or summary that only ever increase, so that a counter rule may name
# one: the observations' count, their sum (while no observation is negative) and, of a
# histogram, each cumulative bucket. ``_created`` is a timestamp, not a count.
COUNTING_SAMPLES = {"histogram": ("_count", "_sum", "_bucket"), "summary": ("_count", "_sum")}


class Sample(Protocol):
    """One sample of a family: ``name{labels} value``."""

    @property
    def name(self) -> str: ...
    @property
    def labels(self) -> Mapping[str, str]: ...
    @property
    def value(self) -> float: ...


class Family(Protocol):
    """One metric family: its name (as the parser gives it), type, help and samples."""

    @property
    def name(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def documentation(self) -> str: ...
    @property
    def samples(self) -> Sequence[Sample]: ...


@dataclass(frozen=True)
class Snapshot:
    """One scrape, parsed: families by their declared name, and which instance answered."""

    families: Mapping[str, Family]
    declared: Mapping[str, str] = field(default_factory=dict)
    duplicates: tuple[str, ...] = ()
    fingerprint: str | None = None
    scraped_at: float = 0.0
    # OpenMetrics declares counters without ``_total`` (their samples have it).
    openmetrics: bool = False

    def family(self, name: str) -> Family | None:
        """The family a contract name refers to (see ``find``)."""
        found = self.find(name)
        return found[1] if found is not None else None

    def find(self, name: str) -> tuple[str, Family] | None:
        """The family a contract name refers to, with its declared name; a counter is also found
        by its name with or without ``_total`` when the exposition declares the other spelling."""
        found = self.families.get(name)
        if found is not None:
            return name, found
        other = name.removesuffix("_total") if name.endswith("_total") else f"{name}_total"
        counter = self.families.get(other)
        return (other, counter) if counter is not None and counter.type == "counter" else None

    def value(self, name: str, labels: Mapping[str, str] | None = None) -> float | None:
        """The sum of the samples of ``name`` whose labels include ``labels``: of the family's
        value sample (``x_total`` of a counter, ``x_count`` of a histogram or summary), or of
        the counting sample ``name`` spells (``x_count``, ``x_sum``, ``x_bucket``).

        None when the family is absent. A family that is present without a matching sample
        (a labelled metric never touched) is 0, which is what a counter's delta needs.
        """
        family = self.family(name)
        wanted = family.name + SAMPLE_SUFFIX.get(family.type, "") if family else name
        if family is None:
            family = _sample_owner(self, name)
        if family is None:
            return None
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
        return sorted(contract_name(name, family.type) for name, family in self.families.items())

    def closest(self, name: str, count: int = 3) -> list[str]:
        """The present names most like ``name``: a misspelt or renamed metric is the usual cause."""
        return difflib.get_close_matches(name, self.names(), n=count, cutoff=0.6)


def contract_name(family: str, kind: str) -> str:
    """A family's name as a contract spells it: ``x_total`` for a counter family ``x``
    (prometheus_client drops the suffix from the family, its samples keep it)."""
    return f"{family}_total" if kind == "counter" and not family.endswith("_total") else family


def series(name: str, labels: Mapping[str, str], drop: Iterable[str] = ()) -> str:
    """A series in PromQL spelling, for messages and as a key: ``name{a="1",b="2"}``, or just
    ``name`` without labels (an empty name gives the label set alone)."""
    skipped = set(drop)
    inner = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()) if k not in skipped)
    return f"{name}{{{inner}}}" if inner else name


def _sample_owner(snapshot: Snapshot, name: str) -> Family | None:
    """The histogram or summary of which ``name`` is a counting sample (``x_count`` of the
    summary ``x``); None for any other name."""
    for suffix in ("_count", "_sum", "_bucket"):
        base = name.removesuffix(suffix)
        family = snapshot.families.get(base) if base != name else None
        if family is not None and suffix in COUNTING_SAMPLES.get(family.type, ()):
            return family
    return None


def counter_hint(snapshot: Snapshot, name: str) -> str:
    """What a counter rule should name instead of ``name``, which reads nothing in ``snapshot``:
    the family of a ``_created`` timestamp, or the closest names a counter rule may give."""
    base = name.removesuffix("_created")
    found = snapshot.find(base) if base != name else None
    if found is not None and found[1].type in SAMPLE_SUFFIX:
        declared, family = found
        use = contract_name(declared, "counter") if family.type == "counter" else declared
        counted = use if family.type == "counter" else f"{declared}_count"
        return f"{name} is the time {use} was created, not a count: name {counted}"
    counting = [
        f"{key}{suffix}"
        for key, family in snapshot.families.items()
        for suffix in COUNTING_SAMPLES.get(family.type, ())[:2]
    ]
    closest = difflib.get_close_matches(name, snapshot.names() + counting, n=3, cutoff=0.6)
    if closest:
        return f"closest names exposed: {', '.join(closest)}"
    return f"no similar name among the {len(snapshot.families)} families exposed"
