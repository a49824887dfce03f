"""Several targets released all or none: each promoted only when every one passed; otherwise
none promoted, and with --rollback-on-failure every target serving its checked revision goes
back, the passed ones too, each saying why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cloudrun_acceptance.checks.allornone import plan_all_or_none
from cloudrun_acceptance.model.contract import RevisionRules
from cloudrun_acceptance.model.service import RevisionSummary, TrafficRow
from tests.unit.builders import service_facts

NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)
HISTORY = (
    RevisionSummary("svc-00001-old", NOW - timedelta(hours=3), True),
    RevisionSummary("svc-00002-abc", NOW, True),
)
CANDIDATE = service_facts(
    traffic=[TrafficRow("svc-00001-old", 100), TrafficRow("svc-00002-abc", 0, tag="candidate")]
)
SERVING = service_facts(traffic=[TrafficRow("svc-00002-abc", 100, latest=True)], history=HISTORY)


def plans(statuses, facts, *, promote=False, rollback=False):
    return plan_all_or_none(statuses, facts, RevisionRules(), promote=promote, rollback=rollback)


def test_every_target_passed_so_each_is_promoted():
    both = plans({"eu": "PASSED", "us": "PASSED"}, {"eu": CANDIDATE, "us": CANDIDATE}, promote=True)
    assert [plan.action for plan in both.values()] == ["promote", "promote"]


def test_one_target_failed_so_the_passed_candidate_is_not_promoted():
    both = plans({"eu": "PASSED", "us": "FAILED"}, {"eu": CANDIDATE, "us": CANDIDATE}, promote=True)
    assert [plan.action for plan in both.values()] == ["none", "none"]
    assert both["eu"].reason == (
        "svc-00002-abc passed here, but the gate did not pass in us: the targets are released "
        "all or none, so it is not promoted (it serves no traffic)"
    )
    assert both["us"].reason.startswith("svc-00002-abc failed the gate but serves no traffic")


def test_one_target_failed_so_every_serving_revision_goes_back_with_the_flag():
    both = plans(
        {"eu": "PASSED", "us": "INCONCLUSIVE"}, {"eu": SERVING, "us": SERVING}, rollback=True
    )
    assert [plan.action for plan in both.values()] == ["rollback", "rollback"]
    assert both["eu"].traffic == (TrafficRow("svc-00001-old", 100),)
    assert both["eu"].reason == (
        "svc-00002-abc passed here, but the gate did not pass in us: the targets are released "
        "all or none, so its 100% goes back as well"
    )
    asked = plans({"eu": "PASSED", "us": "FAILED"}, {"eu": SERVING, "us": SERVING})
    assert asked["eu"].action == "none"
    assert asked["eu"].reason.endswith(
        "released all or none; --rollback-on-failure was not given, so nothing was changed"
    )
    assert asked["eu"].commands == (
        "gcloud run services update-traffic svc --to-revisions svc-00001-old=100 --region r "
        "--project p",
    )


def test_a_target_whose_service_could_not_be_read_gets_no_plan_but_counts():
    only = plans({"eu": "PASSED", "us": "FAILED"}, {"eu": CANDIDATE}, promote=True)
    assert list(only) == ["eu"]
    assert only["eu"].action == "none"
