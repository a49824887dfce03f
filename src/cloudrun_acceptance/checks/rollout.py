"""A rollout step judged on the users' requests of its window: enough of them on each side,
the candidate's 5xx rate against the stable revision's (Fisher's exact test), and its latency
(the Hodges-Lehmann shift against the contract's tolerance), as the comparison judges them.

The statistics (``.stats``: scipy, numpy) are imported by ``judge_step`` only.
"""

from __future__ import annotations

from ..model.compare import ErrorCounts
from ..model.rollout import RevisionTraffic, RolloutRules, StepWindow
from ..model.service import ServiceFacts, TrafficRow
from ..model.verdict import Verdict, failed, inconclusive, passed
from .figures import ms
from .release import promoted, tags_kept

SIDES = ("candidate", "stable")


def _rate(side: RevisionTraffic) -> str:
    rate = side.error_rate
    return "-" if rate is None else f"{100 * rate:.2f}%"


def stable_of(facts: ServiceFacts) -> tuple[str, str]:
    """The stable revision a rollout moves traffic from: the one revision other than the
    candidate serving traffic; else ("", why there is none)."""
    candidate = facts.revision.name
    serving = sorted({row.revision for row in facts.traffic if row.percent} - {candidate})
    if len(serving) == 1:
        return serving[0], ""
    if not serving:
        return "", f"no revision but {candidate} serves traffic: there is nothing to roll out from"
    return "", (
        f"the traffic is split between {', '.join(serving)}: a rollout moves it from one "
        "stable revision"
    )


def step_traffic(facts: ServiceFacts, share: int) -> tuple[TrafficRow, ...]:
    """The traffic of a step: ``share`` to the candidate, the rest to the stable revision, every
    tag kept."""
    return promoted(facts, share)


def back_to_stable(facts: ServiceFacts, stable: str) -> tuple[TrafficRow, ...]:
    """All traffic to the stable revision, every tag kept."""
    return (TrafficRow(stable, 100), *tags_kept(facts))


def too_few(window: StepWindow, rules: RolloutRules) -> bool:
    """Either revision answered fewer than ``min_requests`` users' requests in the window."""
    return min(window.candidate.requests, window.stable.requests) < rules.min_requests


def step_figures(window: StepWindow) -> dict[str, str]:
    """The step's row of the report's table, as figures (JUnit properties too)."""
    from .stats import percentiles

    figures = {
        "share (%)": str(window.share),
        "window": f"{window.start.isoformat(timespec='seconds')} to "
        f"{window.end.isoformat(timespec='seconds')} ({window.seconds:.0f} s)",
        "holds": str(window.holds),
        "Logging API requests": str(window.pages),
    }
    for name, side in zip(SIDES, (window.candidate, window.stable), strict=True):
        p = percentiles(side.latencies)
        figures[f"{name} revision"] = side.revision
        figures[f"{name} requests"] = str(side.requests)
        figures[f"{name} 5xx rate"] = _rate(side)
        figures[f"{name} p50 (ms)"] = ms(p.p50)
        figures[f"{name} p95 (ms)"] = ms(p.p95)
    return figures


def judge_step(window: StepWindow, rules: RolloutRules) -> Verdict:
    """Passed, failed (more 5xx, or slower beyond the tolerance, with the contract's
    confidence), or inconclusive (too few requests, or a latency interval that straddles the
    tolerance)."""
    from .stats import errors_test, hodges_lehmann, percentiles

    figures = step_figures(window)
    candidate, stable = window.candidate, window.stable
    where = f"at {window.share}% over {window.seconds:.0f} s"
    counts = (
        f"{candidate.revision} answered {candidate.requests} users' requests, "
        f"{stable.revision} {stable.requests}"
    )
    if too_few(window, rules):
        return inconclusive(
            f"too few users' requests {where} to judge the step: {counts} (at least "
            f"{rules.min_requests} each, rollout.min_requests)",
            advice="bake longer (rollout.bake_seconds), or lower rollout.min_requests for a "
            "service with little traffic",
            figures=figures,
            evidence=_capped(window),
        )
    p = errors_test(
        ErrorCounts(candidate.errors, candidate.requests),
        ErrorCounts(stable.errors, stable.requests),
    )
    figures["5xx p-value"] = f"{p:.3g}"
    if p < 1 - rules.confidence:
        return failed(
            f"the candidate failed more of the users' requests {where}: {candidate.errors} of "
            f"{candidate.requests} 5xx ({_rate(candidate)}) against the stable revision's "
            f"{stable.errors} of {stable.requests} ({_rate(stable)}); Fisher's exact test, "
            f"p={p:.3g} (below {1 - rules.confidence:.2g})",
            advice=f"read the candidate's 5xx in Cloud Logging (resource.labels.revision_name="
            f'"{candidate.revision}" httpRequest.status>=500), fix and deploy again',
            figures=figures,
            evidence=_capped(window),
        )
    before, after = percentiles(stable.latencies), percentiles(candidate.latencies)
    if not stable.latencies or not candidate.latencies or before.p50 is None:
        return passed(f"{counts} {where}; no latency in the logs to compare", figures=figures)
    shift = hodges_lehmann(stable.latencies, candidate.latencies, rules.confidence)
    allowed = rules.tolerance * before.p50
    shifted, low, high = ms(shift.estimate, "+"), ms(shift.low, "+"), ms(shift.high, "+")
    figures["shift (ms)"] = shifted
    figures["shift interval (ms)"] = f"{low} to {high}"
    figures["tolerance (ms)"] = ms(allowed)
    medians = (
        f"median {ms(after.p50)} ms against the stable revision's {ms(before.p50)} ms; "
        f"shift {shifted} ms, {rules.confidence:g} interval {low} to {high} ms, tolerance "
        f"{ms(allowed)} ms ({rules.tolerance:.0%} of the stable median)"
    )
    decided = shift.against(allowed)  # the comparison's judge
    if decided == "failed":
        return failed(
            f"the candidate answered the users' requests slower {where}: {medians}",
            advice="profile the candidate under the users' mix (its own checks at 0% did not "
            "see it), fix and deploy again",
            figures=figures,
        )
    if decided == "inconclusive":
        return inconclusive(
            f"the candidate's latency {where} may be over the tolerance: {medians}",
            advice="bake longer (rollout.bake_seconds) for a narrower interval",
            figures=figures,
        )
    return passed(
        f"{counts} {where}: 5xx {_rate(candidate)} against {_rate(stable)}; {medians}",
        figures=figures,
    )


def _capped(window: StepWindow) -> tuple[str, ...]:
    if not window.capped:
        return ()
    return ("the listing reached rollout.max_requests: only the window's first entries were read",)
