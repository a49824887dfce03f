"""The health check: the health path answers as the contract says (200 with JSON, by default),
after waiting out a cold start."""

from __future__ import annotations

import json
import re
from dataclasses import replace

from ..metrics.exposition import media_type
from ..model.contract import HealthRules
from ..model.exchange import Readiness
from ..model.service import ServiceRef
from ..model.verdict import Verdict, failed, passed
from .access import refused


def judge_health(
    *, readiness: Readiness, rules: HealthRules, service: ServiceRef | None = None
) -> Verdict:
    """The contract's status and body (JSON, with its keys, or its pattern), reporting how long
    the first answer took; ``service``, when known, makes the access advice a command."""
    last = readiness.last
    expected = rules.describe()
    figures = {"first answer (s)": f"{readiness.waited:.2f}", "attempts": str(readiness.attempts)}
    permanent = readiness.permanent
    if not readiness.ready and permanent is not None:
        return failed(
            f"the service cannot answer {last.url}: {permanent.cause}",
            evidence=[*permanent.evidence, readiness.ended()],
            advice=permanent.advice,
            figures=figures,
        )
    if not readiness.ready:
        return failed(
            f"the service did not answer {last.url} within the {readiness.timeout:g} s ready "
            f"timeout ({readiness.attempts} attempt{'s' if readiness.attempts != 1 else ''})",
            evidence=[f"last attempt: {last.evidence()}"],
            advice="check that the revision started (gcloud run revisions describe, and its logs); "
            "for a slow cold start raise --ready-timeout.",
            figures=figures,
        )
    door = refused(last, "the health path", service)
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
            f"health redirected ({last.status}) instead of answering {expected}",
            evidence=[last.evidence()],
            advice="a redirect to a login page means the service requires authentication: call it "
            "with --auth id-token (or --auth bearer); otherwise fix the health route.",
            figures=figures,
        )
    if last.status != rules.status:
        return failed(
            f"health answered {last.status}, expected {expected}",
            evidence=[last.evidence(), readiness.summary()],
            advice="read the revision's logs for the cause; a 404 means the health path moved "
            "(health.path in the contract).",
            figures=figures,
        )
    problem = _body_problem(last.content_type, last.body, rules)
    if problem:
        return failed(
            f"health answered {last.status} but {problem}",
            evidence=[last.evidence()],
            advice="the path may be served by something else (a frontend, a proxy); check "
            "health.path in the contract, and what it expects of the answer (content_type, "
            "json_keys, body_pattern).",
            figures=figures,
        )
    return passed(
        f"health answered {expected} in {last.elapsed:.3f} s; {readiness.summary()}",
        figures=figures,
    )


def _body_problem(content_type: str, body: str, rules: HealthRules) -> str:
    """What is wrong with the answer's body for these rules, or ""."""
    kind = media_type(content_type)
    if rules.content_type and kind != rules.content_type:
        return f"its content type is {kind or '(none)'}, not {rules.content_type}"
    if rules.body_pattern:
        if re.search(rules.body_pattern, body) is None:
            return f"the body does not match {rules.body_pattern!r}"
        return ""
    try:
        parsed = json.loads(body)
    except ValueError:
        return "the body is not JSON"
    if rules.json_keys:
        missing = [
            key for key in rules.json_keys if not isinstance(parsed, dict) or key not in parsed
        ]
        if missing:
            return f"the JSON body lacks {', '.join(missing)}"
    elif not isinstance(parsed, dict | list):
        return "the body is not a JSON object or list"
    return ""
