"""Analysis checks: a forced analysis moves the counters; a repeated one is a fast cache hit."""

from __future__ import annotations

import statistics

from ..model.contract import AnalysisRules, CacheRules
from ..model.observations import CounterRun
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


def judge_analysis(*, run: CounterRun, rules: AnalysisRules) -> Verdict:
    """The forced analysis answers 2xx and every contract counter increases on its instance."""
    if not run.actions:
        return _unreadable(run, "forced analysis not run")
    call = run.actions[0]
    figures = {"analysis (s)": f"{call.elapsed:.3f}", **_counter_figures(run)}
    if call.error is not None:
        got = (
            f"answered {call.status}, but its answer did not complete"
            if call.answered
            else ("got no answer")
        )
        return failed(
            f"the forced analysis {got}: {call.error}",
            evidence=[call.evidence()],
            advice="the analysis may take longer than analysis.timeout_seconds in the contract "
            f"({rules.timeout_seconds:g} s): read the revision's logs for this request, and raise "
            "the timeout if the service is slow by design.",
            figures=figures,
        )
    if not call.ok:
        return failed(
            f"the forced analysis answered {call.status}, expected 2xx",
            evidence=[call.evidence()],
            advice="read the revision's logs around this request (the logs checks list 5xx with "
            "their trace ids); a 404 naming the session means TEST_SESSION does not exist on this "
            "service.",
            figures=figures,
        )
    if run.outcome == "unreadable":
        return _unreadable(run, "forced analysis answered, but")
    if run.outcome == "moved":
        moved = ", ".join(f"{r.rule.series} {r.delta:+g}" for r in run.readings)
        return passed(
            f"forced analysis answered {call.status} in {call.elapsed:.2f} s; "
            f"counters moved: {moved}",
            figures=figures,
        )
    stuck = [r for r in run.readings if not r.moved]
    if run.outcome == "inconclusive":
        return inconclusive(
            "forced analysis answered, but the counters could not be compared on one instance",
            evidence=[*_counter_lines(run), call.describe()],
            advice="counters live per instance; run the gate when one instance serves (min and max "
            "instances 1), or give the contract a fingerprint metric that tells instances apart.",
            figures=figures,
        )
    return failed(
        f"{len(stuck)} counter(s) did not increase within {rules.counter_deadline_seconds:g} s "
        "after a forced analysis",
        evidence=[*_counter_lines(run), call.evidence()],
        advice="the analysis ran but did not count: check that its code path increments these "
        "counters (and with these labels), and that the metrics come from the same registry.",
        figures=figures,
    )


def judge_cache(*, run: CounterRun, rules: CacheRules) -> Verdict:
    """The repeated call answers within budget (median of samples) and counts a cache hit."""
    if not run.actions:
        return _unreadable(run, "cache samples not taken")
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
            f"{len(bad)} of {len(samples)} cached calls did not answer 2xx in full",
            evidence=[bad[0].evidence()],
            advice="read the revision's logs around this request.",
            figures=figures,
        )
    problems = []
    if median > rules.budget_seconds:
        problems.append(
            f"median {median:.3f} s over the {rules.budget_seconds:g} s budget (samples: {shown} s)"
        )
    if run.outcome == "unreadable":
        return _unreadable(run, "cache samples answered, but")
    if run.outcome == "stuck":
        problems.append(
            "the cache-hit counter did not increase: the answers did not come from the cache"
        )
    evidence = [*_counter_lines(run), f"first answer: {run.actions[0].evidence()}"]
    if problems:
        if run.outcome == "stuck":
            advice = (
                "the answers did not come from the cache: read the first answer's body (a "
                "'skipped' status means the service declined instead of serving the cached "
                "result); otherwise the cache missed (expired, disabled, or kept per instance). "
                "Check this revision's cache settings."
            )
        else:
            advice = (
                "the answers came from the cache (the hit counter moved) but slowly: look at the "
                "cache backend's latency (a remote store, a cold connection, a lock), or raise "
                "cache.budget_seconds in the contract if the budget changed."
            )
        return failed(
            "the repeated analysis is not a fast cache hit: " + "; ".join(problems),
            evidence=evidence,
            advice=advice,
            figures=figures,
        )
    if run.outcome == "inconclusive":
        return inconclusive(
            f"cached calls are within budget (median {median:.3f} s), but the cache-hit counter "
            "could not be compared on one instance",
            evidence=evidence,
            advice="counters live per instance; see the analysis check.",
            figures=figures,
        )
    return passed(
        f"cached analysis median {median:.3f} s within the {rules.budget_seconds:g} s budget "
        f"(samples: {shown} s); cache hits moved",
        figures=figures,
    )
