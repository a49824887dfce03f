"""What ``promtool check metrics`` would flag in an exposition, on parsed families."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass

from ..model.exposition import Family, Snapshot, series


@dataclass(frozen=True)
class Finding:
    """One lint problem of one family."""

    family: str
    problem: str

    def __str__(self) -> str:
        return f"{self.family}: {self.problem}"


def lint(snapshot: Snapshot) -> list[Finding]:
    """Every finding, in a stable order: by family, then problem."""
    findings = [
        Finding(name, 'counter metrics should have "_total" suffix')
        for name, kind in snapshot.declared.items()
        if kind == "counter" and not name.endswith("_total")
    ]
    findings += [Finding(name, "family is declared more than once") for name in snapshot.duplicates]
    for family in snapshot.families.values():
        if not family.documentation:
            findings.append(Finding(family.name, "no help text"))
        findings += _duplicate_series(family)
        if family.type == "histogram":
            findings += _histogram(family)
    return sorted(set(findings), key=lambda f: (f.family, f.problem))


def _duplicate_series(family: Family) -> list[Finding]:
    # Keyed by the series' text: strings are not tracked by the garbage collector, so a large
    # exposition costs no more per line than a small one (tuples kept in the set would be).
    seen: set[str] = set()
    findings = []
    for sample in family.samples:
        key = series(sample.name, sample.labels)
        if key in seen:
            findings.append(Finding(family.name, f"duplicate series {key}"))
        seen.add(key)
    return findings


def _histogram(family: Family) -> list[Finding]:
    buckets: dict[str, list[tuple[float, float]]] = defaultdict(list)
    counts: dict[str, float] = {}
    findings = []
    for sample in family.samples:
        key = series("", sample.labels, drop=("le",))
        if sample.name == f"{family.name}_bucket":
            try:
                bound = float(sample.labels.get("le", ""))
            except ValueError:
                findings.append(Finding(family.name, f"bucket {key} has no valid le label"))
                continue
            buckets[key].append((bound, sample.value))
        elif sample.name == f"{family.name}_count":
            counts[key] = sample.value
    for key, bounds in buckets.items():
        bounds.sort()
        where = f" {key}" if key else ""
        if bounds[-1][0] != math.inf:
            findings.append(Finding(family.name, f"histogram{where} has no +Inf bucket"))
        elif key in counts and counts[key] != bounds[-1][1]:
            findings.append(
                Finding(
                    family.name,
                    f"histogram{where}: _count {counts[key]:g} differs from the +Inf bucket "
                    f"{bounds[-1][1]:g}",
                )
            )
        if any(later[1] < earlier[1] for earlier, later in itertools.pairwise(bounds)):
            findings.append(Finding(family.name, f"histogram{where} buckets are not cumulative"))
    return findings
