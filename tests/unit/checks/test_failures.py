"""The errors comparison of the paired load: a load built by hand in, a verdict with its exact
summary, evidence and figures out."""

from __future__ import annotations

from cloudrun_acceptance.checks.failures import judge_errors
from cloudrun_acceptance.model.compare import PairedLoad
from tests.unit.checks.test_compare import BASELINE, CANDIDATE, RULES, STEADY, Outcome, paired


def test_a_candidate_that_fails_more_often_fails_and_lists_its_failures():
    failures: list[Outcome] = [503] * 7 + ["ReadTimeout: timed out", 500, 500]
    verdict = judge_errors(load=paired(STEADY[:40], [*STEADY[:30], *failures]), rules=RULES)
    assert verdict.status == "failed"
    # All 10 failures are the candidate's, which sent half the exchanges: the Beta(1, 1)
    # mixture over p >= 1/2 of (2p)^10 is 2 x 2^10 x (1 - 2^-11) / 11 = 186, past 1 / 2.5%.
    assert verdict.summary == (
        "the candidate failed 10 of 40 exchanges (25%), the baseline 0 of 40 (0%): the "
        "candidate fails more often (anytime-valid p = 0.0054, below its 2.5% share of the "
        "error budget)"
    )
    assert verdict.evidence[:4] == (
        "the candidate's failed exchanges (5xx, refused or cut):",
        "  cached call: GET https://candidate---svc.run.app/api/c -> 503 (x7)",
        "  cached call: GET https://candidate---svc.run.app/api/c -> 500 (x2)",
        "  cached call: GET https://candidate---svc.run.app/api/c -> no answer "
        "(ReadTimeout: timed out)",
    )
    assert verdict.advice.startswith(
        "read the candidate's logs for those requests: the filter "
        'resource.labels.revision_name="svc-00002-abc" AND httpRequest.status>=500 lists its 5xx'
    )
    assert verdict.figures["candidate failed"] == "10/40 (25%)"
    assert verdict.figures["errors decided"] == "failed"


def test_the_listing_stops_at_ten_kinds_of_failure():
    statuses: list[Outcome] = list(range(500, 512)) + [503] * 2
    verdict = judge_errors(load=paired([20.0] * 14, statuses), rules=RULES)
    listed = [line for line in verdict.evidence if line.startswith("  ")]
    assert len(listed) == 11
    assert listed[0].endswith("-> 503 (x3)")
    assert listed[-1] == "  ... and 2 more"


def test_a_failure_or_two_that_the_baseline_also_has_passes():
    verdict = judge_errors(
        load=paired([20.0] * 399 + [503], [20.0] * 398 + [502, 503]), rules=RULES
    )
    assert verdict.status == "passed"
    assert verdict.summary.startswith(
        "the candidate failed 2 of 400 exchanges (0.5%), the baseline 1 of 400 (0.25%): not "
        "shown to fail more often when the load ended (p = 1; its rate may be up to "
    )
    assert verdict.evidence[:3] == (
        "the candidate's failed exchanges:",
        "  cached call: GET https://candidate---svc.run.app/api/c -> 502",
        "  cached call: GET https://candidate---svc.run.app/api/c -> 503",
    )
    clean = judge_errors(load=paired([20.0] * 2000, [20.0] * 2000), rules=RULES)
    assert clean.status == "passed"
    assert clean.summary.startswith(
        "neither revision failed an exchange (2000 to the candidate, 2000 to the baseline): "
        "the candidate's failure rate is at most "
    )
    assert clean.summary.endswith("above the baseline's, within the 1% tolerance")


def test_a_side_with_no_exchange_is_inconclusive():
    load = PairedLoad(
        BASELINE,
        CANDIDATE,
        (),
        planned=40,
        elapsed=60.0,
        deadline_seconds=60.0,
        concurrency=8,
        ended="deadline",
    )
    verdict = judge_errors(load=load, rules=RULES)
    assert verdict.status == "inconclusive"
    assert verdict.summary == (
        "no exchange was made with the baseline or the candidate: the error rates cannot be "
        "compared"
    )
    assert verdict.evidence == (
        "the load stopped at its 60 s deadline after 0 exchanges, with a request kind still "
        "undecided",
    )


def test_failures_not_decided_when_the_load_ended_are_inconclusive_when_they_look_worse():
    candidate: list[Outcome] = [*STEADY[:34], *[503] * 6]
    verdict = judge_errors(load=paired(STEADY[:40], candidate, ended="budget"), rules=RULES)
    assert verdict.status == "inconclusive"
    assert verdict.summary.startswith(
        "the candidate failed 6 of 40 exchanges (15%), the baseline 0 of 40 (0%): more often, "
        "but not decided when the load ended (p = 0.055"
    )
