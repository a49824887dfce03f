"""The health check: the health path answers 200 with JSON, after waiting out a cold start."""

from __future__ import annotations

from dataclasses import replace

from ..model.exchange import Readiness
from ..model.verdict import Verdict, failed, passed
from .access import refused


def judge_health(readiness: Readiness) -> Verdict:
    """200 and a JSON body, reporting how long the first answer took."""
    last = readiness.last
    figures = {"first answer (s)": f"{readiness.waited:.2f}", "attempts": str(readiness.attempts)}
    if not readiness.ready:
        return failed(
            f"the service did not answer {last.url} within the {readiness.timeout:g} s ready "
            f"timeout ({readiness.attempts} attempt{'s' if readiness.attempts != 1 else ''})",
            evidence=[f"last attempt: {last.evidence()}"],
            advice="check that the revision started (gcloud run revisions describe, and its logs); "
            "for a slow cold start raise --ready-timeout.",
            figures=figures,
        )
    door = refused(last, "the health path")
    if door is not None:
        return replace(door, figures=figures)
    if last.error is not None:
        return failed(
            f"health answered {last.status}, but its answer did not complete: {last.error}",
            evidence=[last.evidence()],
            advice="the health path must answer and end, with a small JSON body: check what "
            "serves health.path (a streaming handler, a proxy holding the response, a large "
            "page).",
            figures=figures,
        )
    if last.status is not None and 300 <= last.status < 400:
        return failed(
            f"health redirected ({last.status}) instead of answering 200 with JSON",
            evidence=[last.evidence()],
            advice="a redirect to a login page means the service requires authentication: call it "
            "with --auth id-token (or --auth bearer); otherwise fix the health route.",
            figures=figures,
        )
    if last.status != 200:
        return failed(
            f"health answered {last.status}, expected 200 with JSON",
            evidence=[last.evidence(), readiness.summary()],
            advice="read the revision's logs for the cause; a 404 means the health path moved "
            "(health.path in the contract).",
            figures=figures,
        )
    if not isinstance(last.json(), dict | list):
        return failed(
            "health answered 200 but the body is not JSON",
            evidence=[last.evidence()],
            advice="the path may be served by something else (a frontend, a proxy); check "
            "health.path in the contract.",
            figures=figures,
        )
    return passed(
        f"health answered 200 with JSON in {last.elapsed:.3f} s; {readiness.summary()}",
        figures=figures,
    )
