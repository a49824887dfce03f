"""Which revision the candidate is compared with, and how it is reached."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from cloudrun_acceptance.checks.baseline import find_baseline, judge_baseline
from cloudrun_acceptance.model.service import RevisionSummary, TrafficRow
from tests.unit.builders import REVISION, service_facts

STABLE = "svc-00001-xyz"
CANDIDATE_TAG = TrafficRow(REVISION, 0, tag="candidate", uri="https://candidate---svc.run.app")


def facts(*rows: TrafficRow):
    history = (
        RevisionSummary("svc-00000-old", created=datetime(2026, 11, 1, tzinfo=UTC), ready=True),
        RevisionSummary(STABLE, created=datetime(2026, 11, 2, tzinfo=UTC), ready=True),
        RevisionSummary(REVISION, created=datetime(2026, 11, 3, tzinfo=UTC), ready=True),
    )
    return service_facts(traffic=rows, history=history)


def test_a_stable_revision_serving_everything_is_reached_at_the_service_url():
    choice = find_baseline(facts(TrafficRow(STABLE, 100), CANDIDATE_TAG), 100, None)
    assert choice.endpoint is not None
    assert (choice.endpoint.revision, choice.endpoint.url) == (STABLE, "https://svc.run.app")
    verdict = judge_baseline(choice=choice, candidate=REVISION)
    assert verdict.summary == (
        f"{REVISION} is compared with {STABLE} at https://svc.run.app (the service URL, where "
        "it serves 100% of traffic)"
    )


def test_the_baseline_tag_given_is_used_when_it_is_on_the_stable_revision():
    tagged = TrafficRow(STABLE, 0, tag="stable", uri="https://stable---svc.run.app")
    choice = find_baseline(facts(TrafficRow(STABLE, 100), tagged, CANDIDATE_TAG), 100, "stable")
    assert choice.endpoint is not None
    assert (choice.endpoint.url, choice.endpoint.via) == (
        "https://stable---svc.run.app",
        "tag 'stable'",
    )


def test_a_missing_baseline_tag_is_added_only_because_the_flag_asked():
    choice = find_baseline(facts(TrafficRow(STABLE, 100), CANDIDATE_TAG), 100, "baseline")
    assert (choice.revision, choice.add_tag, choice.endpoint) == (STABLE, "baseline", None)


def test_a_split_without_a_tag_prints_the_command_that_adds_one():
    choice = find_baseline(
        facts(TrafficRow(STABLE, 50), TrafficRow("svc-00000-old", 50)), 100, None
    )
    assert choice.endpoint is None
    assert choice.problem == (
        f"the stable revision {STABLE} serves 50% of traffic and has no tag, so no URL reaches it "
        "alone"
    )
    assert choice.command == (
        f"gcloud run services update-traffic svc --update-tags baseline={STABLE} --region r "
        "--project p"
    )
    verdict = judge_baseline(choice=choice, candidate=REVISION)
    assert verdict.status == "failed"
    assert f"run `{choice.command}`, then pass --baseline-tag" in verdict.advice


def test_a_baseline_tag_on_another_revision_is_not_followed():
    wrong = TrafficRow(REVISION, 0, tag="stable", uri="https://stable---svc.run.app")
    choice = find_baseline(facts(TrafficRow(STABLE, 100), wrong), 100, "stable")
    assert choice.endpoint is None
    assert choice.problem == (
        f"the tag 'stable' (--baseline-tag) points at {REVISION}, not at the stable revision "
        f"{STABLE}"
    )


def test_a_failed_tag_addition_fails_the_check_with_why():
    choice = find_baseline(facts(TrafficRow(STABLE, 100), CANDIDATE_TAG), 100, "baseline")
    verdict = judge_baseline(
        choice=choice, candidate=REVISION, error="403 denied; grant run.services.update"
    )
    assert verdict.status == "failed"
    assert verdict.summary.startswith(
        f"the stable revision {STABLE} could not be reached: adding the tag 'baseline' failed"
    )


def test_a_tag_added_without_a_url_says_what_to_read():
    choice = find_baseline(facts(TrafficRow(STABLE, 100), CANDIDATE_TAG), 100, "baseline")
    without_url = replace(choice, problem="the tag 'baseline' was added, but no URL for it")
    verdict = judge_baseline(choice=without_url, candidate=REVISION, added="the gate added the tag")
    assert verdict.status == "failed"
    assert verdict.advice.startswith("read the service's traffic, with its tags' URLs")
