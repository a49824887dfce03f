"""A Verdict's message: summary, indented evidence, then what to do; constructors by keyword."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.model.verdict import failed, inconclusive, passed


def test_message_indents_evidence_and_ends_with_the_advice():
    verdict = failed(
        "health answered 503",
        evidence=["GET /api/health -> 503\n  body: 'warming up'"],
        advice="read the logs.",
        figures={"attempts": "3"},
    )
    assert verdict.message == (
        "health answered 503\n"
        "  GET /api/health -> 503\n"
        "    body: 'warming up'\n"
        "What to do: read the logs."
    )
    assert (verdict.status, verdict.figures) == ("failed", {"attempts": "3"})


def test_a_passed_verdict_has_no_advice_line():
    verdict = passed("all good", figures={"n": "1"}, evidence=["note"])
    assert verdict.message == "all good\n  note"
    assert inconclusive("unsure").status == "inconclusive"


def test_everything_after_the_summary_is_given_by_keyword():
    with pytest.raises(TypeError):
        failed("summary", ["evidence"], "advice")  # type: ignore[misc]
    with pytest.raises(TypeError):
        passed("summary", {"figure": "1"})  # type: ignore[misc]
