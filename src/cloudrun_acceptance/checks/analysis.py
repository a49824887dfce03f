"""Analysis checks: the contract's action moves its counters; its repeated call is a fast
cache hit. Every message names the contract's own call (``POST /api/memory/analyze``) and its
own counters, whatever the service."""

from __future__ import annotations

import statistics

from ..model.contract import AnalysisRules, CacheRules, CounterRule, RequestSpec
from ..model.observations import CounterRun, Reading
from ..model.verdict import Verdict, failed, inconclusive, passed


def _counter_lines(run: CounterRun) -> list[str]:
    lines = [reading.describe() for reading in run.readings]
    where = f"instance {run.instance}" if run.instance else "one instance (no fingerprint)"
    lines.append(
        f"read on {where}; {run.scrapes} scrapes, {run.waited:.2f} s of polling after the action"
    )
    return lines + list(run.notes)


def _counter_figures(run: CounterRun) -> dict[str, str]:
    return {
        f"{reading.rule.series} before/after": f"{reading.before:g} -> {reading.after:g}"
        for reading in run.readings
        if reading.before is not None and reading.after is not None
    }


def _unreadable(run: CounterRun, what: str) -> Verdict:
    scrape = run.failed_scrape
    detail = f"{scrape.detail}: {scrape.exchange.describe()}" if scrape else "no scrape"
    if scrape is not None and scrape.problem in {"unreachable", "deadline"}:
        advice = (
            "the service stopped answering during this check, after it had answered the checks "
            "before it: read the revision's logs around this time for a crash, an out-of-memory "
            "kill or a restart."
        )
    else:
        advice = (
            "the metrics path answered test_metrics_enabled with an exposition, then this one "
            "(above) during the check: read the revision's logs around this time."
        )
    return failed(
        f"{what}: the counters could not be read ({detail})",
        evidence=[action.evidence() for action in run.actions],
        advice=advice,
    )


def action(request: RequestSpec) -> str:
    """The contract's call as a person reads it: ``PUT /orders/{test_session}``."""
    return f"{request.method} {request.path}"


def _names(rules: tuple[CounterRule, ...]) -> str:
    return ", ".join(rule.series for rule in rules)


def _moved(run: CounterRun) -> str:
    return ", ".join(f"{r.rule.series} {r.delta:+g}" for r in run.readings)


def _not_exposed(
    readings: list[Reading], key: str, what: str, evidence: list[str], figures: dict[str, str]
) -> Verdict:
    """Counters the exposition has no series of: the contract names them wrongly, or the
    service does not register them."""
    names = ", ".join(reading.rule.series for reading in readings)
    return failed(
        f"{len(readings)} counter(s) of {key} not exposed after {what}: {names}",
        evidence=evidence,
        advice=f"the exposition has no series by this name: name one it has in {key} in the "
        "contract (the closest names exposed are above; a histogram's or summary's count is "
        "its x_count), or register the metric in the service at startup.",
        figures=figures,
    )


def judge_analysis(*, run: CounterRun, rules: AnalysisRules) -> Verdict:
    """The contract's action answers 2xx and every counter it names increases on its instance."""
    call_name = action(rules.request)
    if not run.actions:
        return _unreadable(run, f"{call_name} not sent")
    call = run.actions[0]
    figures = {"analysis (s)": f"{call.elapsed:.3f}", **_counter_figures(run)}
    if call.error is not None:
        got = (
            f"answered {call.status}, but its answer did not complete"
            if call.answered
            else ("got no answer")
        )
        return failed(
            f"{call_name} {got}: {call.error}",
            evidence=[call.evidence()],
            advice="the call may take longer than analysis.timeout_seconds in the contract "
            f"({rules.timeout_seconds:g} s): read the revision's logs for this request, and raise "
            "the timeout if the service is slow by design.",
            figures=figures,
        )
    if not call.ok:
        # The request names the session when filling it in changes anything.
        session = (
            "; a 404 naming the session means the test session (in the request above) does not "
            "exist on this service: give one that does (--test-session or TEST_SESSION)"
            if rules.request.filled("") != rules.request
            else ""
        )
        return failed(
            f"{call_name} answered {call.status}, expected 2xx",
            evidence=[call.evidence()],
            advice="read the revision's logs around this request (the logs checks list 5xx with "
            f"their trace ids){session}.",
            figures=figures,
        )
    if run.outcome == "unreadable":
        return _unreadable(run, f"{call_name} answered, but")
    if run.outcome == "moved":
        moved = (
            f"counters moved: {_moved(run)}"
            if rules.counters
            else "the contract names no counter for it (analysis.counters)"
        )
        return passed(
            f"{call_name} answered {call.status} in {call.elapsed:.2f} s; {moved}",
            figures=figures,
        )
    if run.outcome == "inconclusive":
        return inconclusive(
            f"{call_name} answered, but its counters ({_names(rules.counters)}) could not be "
            "compared on one instance",
            evidence=[*_counter_lines(run), call.describe()],
            advice="counters live per instance; run the gate when one instance serves (min and max "
            "instances 1), or give the contract a fingerprint metric that tells instances apart.",
            figures=figures,
        )
    evidence = [*_counter_lines(run), call.evidence()]
    absent = [r for r in run.readings if not r.exposed]
    if absent:
        return _not_exposed(absent, "analysis.counters", call_name, evidence, figures)
    stuck = [r for r in run.readings if not r.moved]
    return failed(
        f"{len(stuck)} counter(s) did not increase within {rules.counter_deadline_seconds:g} s "
        f"after {call_name}: {', '.join(r.rule.series for r in stuck)}",
        evidence=evidence,
        advice="the call succeeded but did not count: check that its code path increments these "
        "counters (and with these labels), and that the metrics come from the same registry.",
        figures=figures,
    )


def judge_cache(*, run: CounterRun, rules: CacheRules) -> Verdict:
    """The repeated call answers within budget (median of samples), and every cache counter the
    contract names increases."""
    call_name = action(rules.request)
    if not run.actions:
        return _unreadable(run, f"{call_name} (the cached call) not sent")
    samples = [call.elapsed for call in run.actions]
    median = statistics.median(samples)
    shown = ", ".join(f"{s:.3f}" for s in samples)
    figures = {
        "cache hit median (s)": f"{median:.3f}",
        "samples (s)": shown,
        "budget (s)": f"{rules.budget_seconds:g}",
        **_counter_figures(run),
    }
    bad = [call for call in run.actions if not call.ok]
    if bad:
        return failed(
            f"{len(bad)} of {len(samples)} calls of {call_name} did not answer 2xx in full",
            evidence=[bad[0].evidence()],
            advice="read the revision's logs around this request.",
            figures=figures,
        )
    if run.outcome == "unreadable":
        return _unreadable(run, f"{call_name} answered, but")
    evidence = [*_counter_lines(run), f"first answer: {run.actions[0].evidence()}"]
    absent = [r for r in run.readings if not r.exposed]
    if absent:
        return _not_exposed(absent, "cache.counters", f"the cached {call_name}", evidence, figures)
    problems = []
    if median > rules.budget_seconds:
        problems.append(
            f"median {median:.3f} s over the {rules.budget_seconds:g} s budget (samples: {shown} s)"
        )
    names = _names(rules.counters)
    if run.outcome == "stuck":
        stuck = ", ".join(r.rule.series for r in run.readings if not r.moved)
        problems.append(f"{stuck} did not increase: the answers did not come from the cache")
    if problems:
        return failed(
            f"the repeated {call_name} is not a fast cache hit: " + "; ".join(problems),
            evidence=evidence,
            advice=_cache_advice(run, rules),
            figures=figures,
        )
    if run.outcome == "inconclusive":
        return inconclusive(
            f"the repeated {call_name} is within budget (median {median:.3f} s), but its "
            f"counters ({names}) could not be compared on one instance",
            evidence=evidence,
            advice="counters live per instance; see the analysis check.",
            figures=figures,
        )
    counted = (
        f"cache counters moved: {_moved(run)}"
        if rules.counters
        else "the contract names no cache counter (cache.counters), so hits were not counted"
    )
    return passed(
        f"the repeated {call_name}: median {median:.3f} s within the {rules.budget_seconds:g} s "
        f"budget (samples: {shown} s); {counted}",
        figures=figures,
    )


def _cache_advice(run: CounterRun, rules: CacheRules) -> str:
    if run.outcome == "stuck":
        return (
            "the answers did not come from the cache: read the first answer's body (above); "
            "an answer that declines the repeated call (such as a 'skipped' status) serves no "
            "cached result. Otherwise the cache missed (expired, disabled, or kept per "
            "instance): check this revision's cache settings."
        )
    counted = (
        f"they came from the cache ({_names(rules.counters)} moved) but slowly"
        if rules.counters
        else "they were slow (the contract names no cache counter, so whether they came from "
        "the cache is not known)"
    )
    return (
        f"{counted}: look at the cache backend's latency (a remote store, a cold connection, a "
        "lock), or raise cache.budget_seconds in the contract if the budget changed."
    )
