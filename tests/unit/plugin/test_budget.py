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
