"""The release plan: promote a passed revision, roll back a failed one that serves traffic, or
give the operator the commands; and the traffic a promotion asks for."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from cloudrun_acceptance.checks.release import plan_release, promoted
from cloudrun_acceptance.model.contract import RevisionRules
from cloudrun_acceptance.model.service import RevisionSummary, TrafficRow
from tests.unit.builders import service_facts

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
HISTORY = (
    RevisionSummary("svc-00001-old", NOW - timedelta(hours=3), True),
    RevisionSummary("svc-00002-bad", NOW - timedelta(hours=2), False),
    RevisionSummary("svc-00002-abc", NOW, True),
    RevisionSummary("svc-00003-new", NOW + timedelta(hours=1), True),
)
WHERE = "--region r --project p"


def facts(traffic, **extra):
    return service_facts(traffic=traffic, **extra)


def test_a_passed_revision_already_serving_its_share_changes_nothing():
    plan = plan_release(
        "PASSED",
        facts([TrafficRow("svc-00002-abc", 100)]),
        RevisionRules(),
        promote=True,
        rollback=True,
    )
    assert (plan.action, plan.commands) == ("none", ())
    assert plan.reason == "svc-00002-abc passed and already serves 100% of traffic"


def test_a_passed_candidate_is_promoted_with_its_tag_kept_or_given_the_command():
    candidate = facts(
        [TrafficRow("svc-00001-old", 100), TrafficRow("svc-00002-abc", 0, tag="candidate", uri="u")]
    )
    candidate = replace(candidate, tag="candidate", tag_url="u")
    plan = plan_release("PASSED", candidate, RevisionRules(), promote=True, rollback=False)
    assert plan.action == "promote"
    assert plan.traffic == (
        TrafficRow("svc-00002-abc", 100),
        TrafficRow("svc-00002-abc", 0, tag="candidate"),
    )
    asked = plan_release("PASSED", candidate, RevisionRules(), promote=False, rollback=False)
    assert asked.action == "none"
    assert asked.commands == (
        f"gcloud run services update-traffic svc --to-revisions svc-00002-abc=100 {WHERE}",
    )


def test_a_share_below_100_leaves_the_rest_where_it_was_in_proportion():
    split = facts(
        [TrafficRow("a", 60), TrafficRow("b", 30), TrafficRow("svc-00002-abc", 10, tag="t")]
    )
    rows = promoted(split, 25)
    assert rows[0] == TrafficRow("svc-00002-abc", 25)
    assert {row.revision: row.percent for row in rows[1:] if row.percent} == {"a": 50, "b": 25}
    assert sum(row.percent for row in rows) == 100
    assert TrafficRow("svc-00002-abc", 0, tag="t") in rows


def test_a_failed_revision_serving_traffic_goes_back_to_the_newest_older_ready_one():
    serving = facts([TrafficRow("svc-00002-abc", 100, latest=True)], history=HISTORY)
    plan = plan_release("FAILED", serving, RevisionRules(), promote=True, rollback=True)
    assert plan.action == "rollback"
    assert plan.traffic == (TrafficRow("svc-00001-old", 100),)
    assert plan.commands == ()  # the latest created revision: Cloud Run refuses to delete it
    asked = plan_release("INCONCLUSIVE", serving, RevisionRules(), promote=False, rollback=False)
    assert asked.commands == (
        f"gcloud run services update-traffic svc --to-revisions svc-00001-old=100 {WHERE}",
    )


def test_a_failed_revision_is_deleted_by_hand_only_when_cloud_run_would_delete_it():
    older = replace(
        facts([TrafficRow("svc-00003-new", 100)], history=HISTORY), latest_created="svc-00003-new"
    )
    plan = plan_release("FAILED", older, RevisionRules(), promote=False, rollback=False)
    assert plan.commands == (f"gcloud run revisions delete svc-00002-abc {WHERE} --quiet",)
    tagged = replace(older, traffic=(*older.traffic, TrafficRow("svc-00002-abc", 0, tag="t")))
    assert (
        plan_release("FAILED", tagged, RevisionRules(), promote=False, rollback=False).commands
        == ()
    )


def test_nothing_to_roll_back_to_or_nothing_served_is_said():
    alone = facts([TrafficRow("svc-00002-abc", 100)], history=HISTORY[2:])
    plan = plan_release("FAILED", alone, RevisionRules(), promote=False, rollback=True)
    assert plan.action == "none"
    assert "no older revision is Ready to roll back to" in plan.reason
    unserved = facts([TrafficRow("svc-00001-old", 100)], history=HISTORY)
    plan = plan_release("FAILED", unserved, RevisionRules(), promote=False, rollback=True)
    assert (plan.action, plan.reason) == (
        "none",
        "svc-00002-abc failed the gate but serves no traffic: nothing to roll back (no user met it)",
    )
