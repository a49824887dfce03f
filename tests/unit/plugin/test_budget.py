"""The worst case of a run: the sum of its deadlines, stage by stage, as the README states it."""

from __future__ import annotations

from dataclasses import replace

from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.config.settings import Settings
from cloudrun_acceptance.plugin.budget import budget
from tests.paths import SHIPPED_CONTRACT

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


def test_a_url_alone_without_a_session_waits_for_less():
    worst = budget(SETTINGS, SHIPPED, service=False, session=False)
    assert worst.describe() == "72 s (health 61, metrics 11)"


def test_a_rollout_waits_for_each_steps_longest_bake_and_its_last_look():
    worst = budget(replace(SETTINGS, rollout=(25, 100)), SHIPPED, service=True, session=True)
    rollout = dict(worst.stages)["rollout"]
    traffic_change = dict(
        budget(replace(SETTINGS, promote=True), SHIPPED, service=True, session=True).stages
    )["traffic change"]
    # Per step: its change, its bake and holds (900 s), one look's read (120 + 10 s); the read
    # of the traffic before (10 s); the rollback; the slack.
    change = traffic_change - 1  # the traffic change's stage has a second of slack
    assert rollout == 10 + 2 * (change + 900 + 130) + change + 1
