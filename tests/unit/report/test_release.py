"""What the gate did to traffic, in the report, the terminal and the JUnit properties."""

from __future__ import annotations

from datetime import UTC, datetime

from cloudrun_acceptance.model.release import ReleaseOutcome, ReleasePlan
from cloudrun_acceptance.model.service import TrafficRow
from cloudrun_acceptance.report.release import release_lines, release_markdown, release_properties

BEFORE = (TrafficRow("svc-1", 100), TrafficRow("svc-2", 0, tag="candidate"))
AFTER = (TrafficRow("svc-2", 100), TrafficRow("svc-2", 0, tag="candidate"))


def test_a_promotion_is_recorded_with_the_operation_and_the_traffic_before_and_after():
    plan = ReleasePlan("promote", "svc-2 passed every check", traffic=AFTER)
    done = ReleaseOutcome(
        plan,
        changed=True,
        summary="promoted: 100% to svc-2 (operation ops/1)",
        operation="ops/1",
        at=datetime(2026, 11, 26, 12, tzinfo=UTC),
        before=BEFORE,
        after=AFTER,
    )
    text = "\n".join(release_markdown(done))
    assert "| Decision | promote |" in text
    assert "| Result | ✅ promoted: 100% to svc-2 (operation ops/1) |" in text
    assert "| When | 2026-11-26 12:00:00 UTC |" in text
    assert "| Traffic after | 100% -> svc-2<br>0% -> svc-2 tag=candidate |" in text
    assert release_properties(done) == {
        "traffic_action": "promote",
        "traffic_result": "done",
        "traffic_operation": "ops/1",
    }
    assert release_lines(done) == [
        "cloudrun-acceptance: traffic: promoted: 100% to svc-2 (operation ops/1)"
    ]


def test_without_the_flag_the_commands_are_given_and_nothing_is_claimed():
    plan = ReleasePlan("none", "svc-2 passed; --promote was not given", commands=("gcloud x",))
    untouched = ReleaseOutcome(plan, changed=False, summary=plan.reason, before=BEFORE)
    text = "\n".join(release_markdown(untouched))
    assert "| Result |" not in text
    assert "To act by hand:\n\n```sh\ngcloud x\n```" in text
    assert release_lines(untouched)[-1] == "cloudrun-acceptance: by hand: gcloud x"
    assert release_properties(untouched)["traffic_result"] == "nothing changed"
    assert release_markdown(None) == release_lines(None) == [] and release_properties(None) == {}
