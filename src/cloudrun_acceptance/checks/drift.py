"""What changed from the stable revision to the candidate beyond their answers: the metric
families each exposes, and the configuration (a diff, only reported). Pure judgements.

Env values are shown only for keys of env.yaml (in the repository anyway): a plain env var may
hold a credential by mistake. Secrets are shown by name and version, never read.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..model.exposition import Snapshot, contract_name
from ..model.service import RevisionFacts
from ..model.verdict import Verdict, failed, passed
from .quantity import same_quantity

MAX_NAMED = 5
HIDDEN = "not shown: not in env.yaml"


def _families(count: int) -> str:
    return f"{count} metric {'family' if count == 1 else 'families'}"


def judge_exposition(*, baseline: Snapshot, candidate: Snapshot) -> Verdict:
    """Every metric family the baseline exposes is still there, with its type; new ones are
    reported."""
    lost, changed = [], []
    for name, family in sorted(baseline.families.items()):
        shown = contract_name(name, family.type)
        if (found := candidate.find(name)) is None:
            lost.append(f"  {shown} ({family.type})")
        elif found[1].type != family.type:
            changed.append(f"  {shown}: {family.type} -> {found[1].type}")
    new = sorted(
        contract_name(name, family.type)
        for name, family in candidate.families.items()
        if baseline.find(name) is None
    )
    figures = {
        "baseline families": str(len(baseline.families)),
        "candidate families": str(len(candidate.families)),
        "lost": str(len(lost)),
        "type changed": str(len(changed)),
        "new": str(len(new)),
    }
    added = [f"new in the candidate: {', '.join(new)}"] if new else []
    if lost or changed:
        parts, evidence = [], []
        if lost:
            parts.append(f"lost {_families(len(lost))} the baseline exposes")
            evidence += ["lost (the baseline exposes them, the candidate does not):", *lost]
        if changed:
            parts.append(f"changed the type of {_families(len(changed))}")
            evidence += ["type changed (baseline -> candidate):", *changed]
        return failed(
            f"the candidate {' and '.join(parts)}",
            evidence=evidence + added,
            advice="a dashboard or alert reading them breaks once the candidate takes the "
            "traffic: restore them in the candidate, or confirm with the owners of those "
            "dashboards and alerts that the change is meant before promoting.",
            figures=figures,
        )
    named = ", ".join(new[:MAX_NAMED]) + (", ..." if len(new) > MAX_NAMED else "")
    return passed(
        f"the candidate exposes all {_families(len(baseline.families))} of the baseline, with "
        "the same types" + (f"; {len(new)} new: {named}" if new else ""),
        evidence=added,
        figures=figures,
    )


def _change(label: str, old: str | None, new: str | None, hide: bool = False) -> str:
    """One line of the diff; ``hide``: an env value not in env.yaml, never shown."""
    if old is None:
        return f"{label} added" + (f" ({HIDDEN})" if hide else f": {new}")
    if new is None:
        return f"{label} removed" + ("" if hide else f" (was {old})")
    return f"{label}: value changed ({HIDDEN})" if hide else f"{label}: {old} -> {new}"


def _keys(*mappings: Mapping[str, object]) -> list[str]:
    return sorted({key for mapping in mappings for key in mapping})


def _shown(value: object, quoted: bool = False) -> str | None:
    if value is None:
        return None
    return repr(value) if quoted else str(value)


def diff_config(
    *, baseline: RevisionFacts, candidate: RevisionFacts, env_file: Mapping[str, str]
) -> Verdict:
    """What changed from the baseline's configuration to the candidate's; always passed (only
    reported). Env values are shown for keys of env.yaml only; secrets by name and version."""
    b, c = baseline, candidate
    changes: list[tuple[str, str]] = []  # (what the summary names, the line)
    for label, old, new in (
        ("image", b.image or "(none)", c.image or "(none)"),
        ("service account", b.service_account or "(default)", c.service_account or "(default)"),
        ("concurrency", str(b.concurrency or "(default)"), str(c.concurrency or "(default)")),
    ):
        if old != new:
            changes.append((label, f"{label}: {old} -> {new}"))
    for key in _keys(b.resources, c.resources):
        was, now = b.resources.get(key), c.resources.get(key)
        if was is None or now is None or not same_quantity(was, now):
            changes.append((key, _change(key, was, now)))
    for key in _keys(b.env, c.env):
        was, now = b.env.get(key), c.env.get(key)
        if was != now:
            line = _change(f"env {key}", _shown(was, True), _shown(now, True), key not in env_file)
            changes.append(("env vars", line))
    for key in _keys(b.secrets, c.secrets):
        if (mount := b.secrets.get(key)) != (other := c.secrets.get(key)):
            changes.append(("secrets", _change(f"secret {key}", _shown(mount), _shown(other))))
    names = f"from {b.name} to {c.name}"
    figures = {"configuration changes": str(len(changes))}
    if not changes:
        return passed(f"no configuration change {names}", figures=figures)
    areas = [area for area, _ in changes]
    listed = ", ".join(
        f"{area} ({areas.count(area)})" if areas.count(area) > 1 else area
        for area in dict.fromkeys(areas)
    )
    return passed(
        f"{len(changes)} configuration change{'s' if len(changes) > 1 else ''} {names}: {listed}",
        evidence=[line for _, line in changes],
        figures=figures,
    )
