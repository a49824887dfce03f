"""What a step's window says of itself: its row of the report (the window, the reads, both
revisions' counts and percentiles), what limited its reads (a sample, a cap, the read quota),
and Cloud Run's own counts of it from Cloud Monitoring, added to the step's verdict."""

from __future__ import annotations

import math
from dataclasses import replace

from ..model.monitoring import LatencyHistogram, MetricCounts
from ..model.rollout import RevisionTraffic, StepWindow
from ..model.verdict import Verdict
from .figures import ms, percent

SIDES = ("candidate", "stable")


def error_rate(side: RevisionTraffic) -> str:
    """A revision's share of 5xx in the window, as the report writes it ("-": none)."""
    rate = side.error_rate
    return "-" if rate is None else f"{100 * rate:.2f}%"


def step_figures(window: StepWindow) -> dict[str, str]:
    """The step's row of the report's table, as figures (JUnit properties too)."""
    from .stats import percentiles

    figures = {
        "share (%)": str(window.share),
        "window": f"{window.start.isoformat(timespec='seconds')} to "
        f"{window.end.isoformat(timespec='seconds')} ({window.seconds:.0f} s)",
        "holds": str(window.holds),
        "looks": str(window.looks),
        "Logging API requests": str(window.pages),
        "entries read": _entries(window),
    }
    if window.quota_waited > 0 or window.quota_refusals:
        figures["read quota waits (s)"] = f"{window.quota_waited:.1f}"
        figures["looks lost to the read quota"] = str(window.quota_refusals)
    for name, side in zip(SIDES, (window.candidate, window.stable), strict=True):
        p = percentiles(side.answered()[1])
        figures[f"{name} revision"] = side.revision
        figures[f"{name} requests"] = str(side.requests)
        figures[f"{name} 5xx rate"] = error_rate(side)
        figures[f"{name} p50 (ms)"] = ms(p.p50)
        figures[f"{name} p95 (ms)"] = ms(p.p95)
    return figures


def _entries(window: StepWindow) -> str:
    """How many entries the window's reads took, and of what: all, or a uniform sample."""
    read = window.candidate.requests + window.stable.requests
    if window.fraction >= 1:
        return f"{read} (every request)"
    return f"{read} (a uniform sample, down to {percent(window.fraction)} of a look's requests)"


def with_metrics(verdict: Verdict, window: StepWindow) -> Verdict:
    """The step's verdict with Cloud Monitoring's counts of its window among its figures (every
    request, the gate's own included, and the stretch the points covered), or, when it was not
    read, why in its evidence: the verdict itself stands on the request logs."""
    metrics = window.metrics
    if metrics is None:
        if not window.metrics_problem:
            return verdict
        said = (
            f"Cloud Monitoring was not read ({window.metrics_problem}): the counts are the "
            "request logs' alone"
        )
        figures = {**verdict.figures, "metrics covered": "not read"}
        return replace(verdict, figures=figures, evidence=(*verdict.evidence, said))
    return replace(verdict, figures={**verdict.figures, **_metrics_figures(metrics, window)})


def _metrics_figures(metrics: MetricCounts, window: StepWindow) -> dict[str, str]:
    """Cloud Monitoring's counts of each revision, and the stretch its points covered."""
    if metrics.start is None or metrics.end is None:
        covered = "no point visible yet (Cloud Run's samples show up to 180 s late)"
    else:
        covered = f"{metrics.start.isoformat(timespec='seconds')} to " + (
            f"{metrics.end.isoformat(timespec='seconds')} ({metrics.calls} call(s))"
        )
    figures = {"metrics covered": covered}
    for name, revision in zip(SIDES, (window.candidate, window.stable), strict=True):
        counted = metrics.of(revision.revision)
        figures[f"{name} requests (Monitoring)"] = f"{counted.requests} ({counted.errors} 5xx)"
        figures[f"{name} p50 / p95 (Monitoring, ms)"] = _quantiles(
            metrics.latency_of(revision.revision)
        )
    return figures


def _quantiles(histogram: LatencyHistogram | None) -> str:
    """The median and the 95th percentile as the buckets they lie in ("40-56 / 110-154"): what
    the histogram can say, a bucket's width at best."""
    if histogram is None:
        return "not read"
    said = []
    for q in (0.5, 0.95):
        found = histogram.quantile(q)
        if found is None:
            return "no request"
        low, high = found
        said.append(f"over {low:.3g}" if math.isinf(high) else f"{low:.3g}-{high:.3g}")
    return " / ".join(said)


def read_notes(window: StepWindow) -> tuple[str, ...]:
    """What limited the window's reads: a sample, a cap, the read quota."""
    said = []
    if window.fraction < 1:
        said.append(
            f"the users' requests came faster than a look reads (rollout.max_requests a read): "
            f"a uniform sample of them was judged, down to {percent(window.fraction)} of a "
            "look's requests, from every second of the window"
        )
    if window.capped:
        said.append(
            "a read reached rollout.max_requests even sampled (the traffic grew during the "
            "look): only its first entries were judged"
        )
    if window.quota_waited > 0:
        said.append(
            f"the reads waited {window.quota_waited:.0f} s in all for the project's Cloud "
            "Logging read quota (logs.reads_per_minute, shared by every read of the run), "
            "so the window was looked at less often: raise logs.reads_per_minute if the "
            "project's quota was raised, or lower rollout.max_requests for fewer calls a look"
        )
    if window.quota_refusals:
        said.append(
            f"{window.quota_refusals} look(s) found the project's Cloud Logging read quota "
            "spent all through their deadline (429: another reader of the project, beside "
            "this run, used it) and were skipped; the next look read what they would have"
        )
    return tuple(said)
