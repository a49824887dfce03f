"""Metrics checks: switched on, each expected family present with its type, coverage, and lint."""

from __future__ import annotations

from ..metrics.lint import Finding, lint
from ..model.contract import ExpectedMetric, MetricsRules
from ..model.exposition import Snapshot
from ..model.observations import Scrape
from ..model.service import ServiceRef
from ..model.verdict import INITIAL, Verdict, failed, passed
from .access import refused

_SPLIT_LABELS = frozenset({"le", "quantile"})


def judge_enabled(
    *, scrape: Scrape, rules: MetricsRules, service: ServiceRef | None = None
) -> Verdict:
    """The metrics path answers a real Prometheus exposition, not the service's "metrics off"
    answer; ``service``, when known, makes the access advice a command."""
    exchange = scrape.exchange
    if scrape.usable and scrape.snapshot is not None:
        snapshot = scrape.snapshot
        count = len(snapshot.families)
        initial = {f"{INITIAL}{m.name}": _initial(snapshot, m) for m in rules.expected}
        return passed(
            f"metrics are enabled: {count} families in {exchange.elapsed:.3f} s "
            f"({exchange.content_type})",
            figures={"families": str(count), "scrape (s)": f"{exchange.elapsed:.3f}", **initial},
        )
    if scrape.problem in {"empty", "disabled"}:
        seen = (
            f"answered {exchange.status} with the body of switched-off metrics ({scrape.detail})"
            if scrape.problem == "disabled"
            else "answered 200 with no metric family"
        )
        return failed(
            f"metrics are disabled: {exchange.url} {seen}",
            evidence=[exchange.evidence()],
            advice=_switch_advice(rules),
        )
    if scrape.problem == "refused":
        verdict = refused(exchange, "the metrics path", service)
        assert verdict is not None
        return verdict
    if scrape.problem == "deadline":
        return failed(
            f"the metrics answer did not end within the request's deadline: {scrape.detail}",
            evidence=[exchange.evidence()],
            advice="a scrape must end: something streams the metrics path without end (a handler "
            "or proxy that never closes the response) or builds it very slowly; Prometheus's own "
            "scrape_timeout (10 s by default) would fail it too. Raise http.timeout_seconds in "
            "the contract only if the exposition is slow by design.",
        )
    if scrape.problem == "too_large":
        return failed(
            f"the metrics body is too large: {scrape.detail}",
            evidence=[exchange.evidence()],
            advice="an exposition this size usually comes from a label with unbounded values (a "
            "user id, a URL, a timestamp), one series each: find the largest families with curl "
            "and `cut -d'{' -f1 | sort | uniq -c | sort -n`. Raise http.max_body_bytes in the "
            "contract only if the size is expected.",
        )
    if scrape.problem == "unreachable":
        return failed(
            f"the metrics endpoint could not be reached: {scrape.detail}",
            evidence=[exchange.evidence()],
            advice="see the health check: the service is not answering.",
        )
    if scrape.problem == "status":
        return failed(
            f"{exchange.url} answered {exchange.status}, expected 200 with a Prometheus exposition",
            evidence=[exchange.evidence()],
            advice=_status_advice(exchange.status) + _if_switched_off(rules),
        )
    if scrape.problem == "content_type":
        return failed(
            f"{exchange.url} answered {scrape.detail}, not a Prometheus exposition "
            "(text/plain or application/openmetrics-text)",
            evidence=[exchange.evidence()],
            advice="the path is served by something else (a frontend catch-all, an error page, a "
            "proxy): serve prometheus_client's generate_latest() with CONTENT_TYPE_LATEST."
            + _if_switched_off(rules),
        )
    if scrape.problem == "untyped":
        return failed(
            "the metrics body parsed, but no family declares a # TYPE: this is not the app's "
            "prometheus_client exposition",
            evidence=[exchange.evidence()],
            advice="check what serves the metrics path; prometheus_client always writes # HELP and "
            "# TYPE.",
        )
    return failed(
        f"{exchange.url} answered 200 {exchange.content_type}, but the body is not a Prometheus "
        f"exposition ({scrape.detail})",
        evidence=[exchange.evidence()],
        advice="serve prometheus_client's generate_latest() output unchanged."
        + _if_switched_off(rules),
    )


def _switch_advice(rules: MetricsRules) -> str:
    """How to switch the metrics on, in the contract's own words."""
    if not rules.switch:
        return (
            "switch the metrics on in the revision's configuration (metrics.enable_env in the "
            "contract names the variable, for a precise hint)."
        )
    return (
        f"set {rules.switch} on the revision (in env.yaml, then deploy again with "
        f"--env-vars-file env.yaml); the service switches its metrics on only for the exact "
        f"string {rules.enable_value!r} (metrics.enable_value in the contract)."
    )


def _if_switched_off(rules: MetricsRules) -> str:
    """For answers that may be the service's own "metrics off" body: how to tell."""
    if not rules.switch:
        return ""
    hint = (
        ""
        if rules.disabled_pattern
        else "; give metrics.disabled_pattern in the contract to recognise that answer"
    )
    return f" If this is the service's answer with its metrics off, set {rules.switch}{hint}."


def _initial(snapshot: Snapshot, metric: ExpectedMetric) -> str:
    family = snapshot.family(metric.name)
    if family is None:
        return "absent"
    if not family.samples:
        return "no samples"
    value = snapshot.value(metric.name)
    return "no samples" if value is None else f"{value:g}"


def _status_advice(status: int | None) -> str:
    if status == 404:
        return (
            "the metrics route moved or is not mounted: check metrics.path in the contract and "
            "the app's routes."
        )
    if status in {401, 403}:
        return "the service requires authentication: call it with --auth id-token or --auth bearer."
    if status is not None and 300 <= status < 400:
        return "the metrics path redirects (to a login page?); the gate does not follow redirects."
    return "read the revision's logs for this request (the logs checks list 5xx)."


def judge_presence(*, snapshot: Snapshot, expected: ExpectedMetric) -> Verdict:
    """One expected family is exposed, with the contract's type and label names."""
    found = snapshot.find(expected.name)
    if found is None:
        closest = snapshot.closest(expected.name)
        hint = f"closest names present: {', '.join(closest)}" if closest else "no similar name"
        return failed(
            f"{expected.name} ({expected.type}) is not exposed",
            evidence=[hint, f"{len(snapshot.families)} families present"],
            advice="a misspelt or renamed metric is the usual cause; if it was renamed on purpose, "
            "update metrics.expected in the contract. Check the app registers it at startup.",
        )
    declared, family = found
    if family.type != expected.type:
        return failed(
            f"{expected.name} is exposed as a {family.type}, the contract says {expected.type}",
            evidence=[f"# TYPE line: {declared} {family.type}"],
            advice="register it with the right prometheus_client class (Counter, Gauge, "
            "Histogram); a counter exposed as a gauge breaks rate() and the dashboards built on "
            "it.",
        )
    seen = {name for sample in family.samples for name in sample.labels} - _SPLIT_LABELS
    wanted = set(expected.labels)
    if family.samples and seen != wanted:
        return failed(
            f"{expected.name} has labels {sorted(seen)}, the contract says {sorted(wanted)}",
            evidence=[f"first sample: {family.samples[0].name}{dict(family.samples[0].labels)}"],
            advice="a changed label set breaks queries and alerts; update the contract if "
            "intended.",
        )
    count = len(family.samples)
    note = (
        f"{count} sample{'s' if count != 1 else ''}" if count else "no samples yet (never touched)"
    )
    return passed(
        f"{expected.name} is exposed as a {family.type}: {note}",
        figures={"samples": str(len(family.samples))},
    )


def judge_coverage(*, snapshot: Snapshot, rules: MetricsRules) -> Verdict:
    """At least ``min_present`` of the expected families are exposed."""
    missing = [metric.name for metric in rules.expected if snapshot.family(metric.name) is None]
    present = len(rules.expected) - len(missing)
    figures = {"present": f"{present}/{len(rules.expected)}", "required": str(rules.min_present)}
    summary = (
        f"{present} of {len(rules.expected)} expected metrics present "
        f"(at least {rules.min_present} required)"
    )
    if present < rules.min_present:
        return failed(
            summary,
            evidence=[f"missing: {', '.join(missing)}"],
            advice="see the per-metric checks.",
            figures=figures,
        )
    return passed(
        summary, figures=figures, evidence=[f"missing: {', '.join(missing)}"] if missing else []
    )


def judge_lint(*, snapshot: Snapshot, rules: MetricsRules) -> Verdict:
    """What promtool would flag; findings on the contract's metrics fail (``lint_fails_on``)."""
    findings = lint(snapshot)
    contract_names = {_base(metric.name) for metric in rules.expected}

    def fails(finding: Finding) -> bool:
        if rules.lint_fails_on == "all":
            return True
        return rules.lint_fails_on == "contract" and _base(finding.family) in contract_names

    failing = [str(f) for f in findings if fails(f)]
    others = [str(f) for f in findings if not fails(f)]
    figures = {"findings": str(len(findings)), "failing": str(len(failing))}
    if failing:
        return failed(
            f"{len(failing)} lint finding(s) on the contract's metrics",
            evidence=failing + ([f"also reported: {'; '.join(others)}"] if others else []),
            advice="fix the metric definitions in the app (promtool check metrics shows the same).",
            figures=figures,
        )
    summary = (
        "no lint finding"
        if not findings
        else f"{len(others)} lint finding(s), none on the contract's metrics"
    )
    return passed(summary, figures=figures, evidence=others)


def _base(name: str) -> str:
    return name.removesuffix("_total")
