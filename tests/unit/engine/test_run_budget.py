"""The worst case of a run: the sum of its deadlines, stage by stage, as docs/reference/reports.md
states it."""

from __future__ import annotations

from dataclasses import replace

from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.config.settings import Settings
from cloudrun_acceptance.engine.run_budget import budget
from tests.paths import REPO, SHIPPED_CONTRACT

SHIPPED = load_contract(SHIPPED_CONTRACT)
SETTINGS = Settings(ready_timeout=60, logs_timeout=120)


def test_the_shipped_contract_with_a_service_and_a_session():
    worst = budget(SETTINGS, SHIPPED, service=True, session=True)
    assert worst.describe() == (
        "725 s (Admin API 120, health 61, metrics 11, analysis 121, cache 241, logs 171)"
    )
    changes = budget(replace(SETTINGS, promote=True), SHIPPED, service=True, session=True)
    assert changes.total == 725 + 151
    assert changes.stages[-1] == ("traffic change", 151)


def test_the_reports_page_states_the_shipped_contracts_worst_case():
    page = " ".join((REPO / "docs/reference/reports.md").read_text().split())
    worst = budget(SETTINGS, SHIPPED, service=True, session=True)
    assert f"it is **{worst.total:.0f} s**" in page
    for stage, seconds in worst.stages:
        assert f"{stage} {seconds:.0f}" in page, stage
    changes = budget(replace(SETTINGS, promote=True), SHIPPED, service=True, session=True)
    assert f"`--rollback-on-failure` add {changes.stages[-1][1]:.0f}" in page


def test_a_url_alone_without_a_session_waits_for_less():
    worst = budget(SETTINGS, SHIPPED, service=False, session=False)
    assert worst.describe() == "72 s (health 61, metrics 11)"


def test_a_rollout_waits_for_each_steps_longest_bake_and_its_last_look():
    worst = budget(replace(SETTINGS, rollout=(25, 100)), SHIPPED, service=True, session=True)
    rollout = dict(worst.stages)["rollout"]
    traffic_change = dict(
        budget(replace(SETTINGS, promote=True), SHIPPED, service=True, session=True).stages
    )["traffic change"]
    # Per step: its change, its bake and holds (900 s), one look's read (settling up to 120 s,
    # its last read waiting out the quota up to 120 s, and 10 s); the read of the traffic before
    # (10 s); the rollback; the slack.
    change = traffic_change - 1  # the traffic change's stage has a second of slack
    assert rollout == 10 + 2 * (change + 900 + 250) + change + 1


def test_a_comparison_waits_for_its_load_and_both_expositions():
    tagged = replace(SETTINGS, tag="candidate")
    worst = budget(tagged, SHIPPED, service=True, session=True)
    assert SHIPPED.compare is not None
    # The load's deadline (180 s), an exchange in flight and both scrapes of 10 s, the slack.
    assert dict(worst.stages)["compare"] == 180 + 10 + 2 * 10 + 1
    untagged = budget(SETTINGS, SHIPPED, service=True, session=True)
    assert worst.total == untagged.total + 211
    adding = budget(replace(tagged, baseline_tag="stable"), SHIPPED, service=True, session=True)
    # Adding the stable revision's tag: its update's calls and the reconcile.
    assert dict(adding.stages)["compare"] > 211 + 60
