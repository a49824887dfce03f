"""The service stage's thread runs through the last step its checks will ask for, decided once:
the analysis and the cached calls only with a test session and their contract's sections."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.engine import service_stage
from cloudrun_acceptance.engine.service_stage import ServiceStage
from cloudrun_acceptance.probe.client import ServiceClient
from tests.paths import SHIPPED_CONTRACT

CONTRACT = load_contract(SHIPPED_CONTRACT)


def stage(contract=CONTRACT, session="s-1"):
    client = ServiceClient.for_contract("http://127.0.0.1:9", contract, user_agent="test")
    return ServiceStage(client, contract, 1.0, session)


@pytest.mark.parametrize(
    ("analysis", "cache", "furthest"),
    [(True, True, "cache"), (True, False, "analysis"), (False, True, "scrape")],
)
def test_the_furthest_step_follows_what_the_checks_ask(analysis, cache, furthest):
    assert stage().furthest(analysis=analysis, cache=cache) == furthest


def test_without_a_session_or_the_sections_the_thread_stops_earlier():
    assert stage(session=None).furthest(analysis=True, cache=True) == "scrape"
    no_cache = replace(CONTRACT, cache=None)
    assert stage(no_cache).furthest(analysis=True, cache=True) == "analysis"
    no_metrics = replace(CONTRACT, metrics=None, analysis=None, cache=None)
    assert stage(no_metrics).furthest(analysis=True, cache=True) == "readiness"


def test_the_first_start_decides_and_a_second_changes_nothing(monkeypatch):
    """One thread, through the step the first start named: a later start neither widens the
    steps nor starts another thread."""
    computed: list[tuple[str, int]] = []
    gate = threading.Event()

    def compute(self, name, first=None):
        gate.wait(5)  # the second start comes while the thread runs
        computed.append((name, threading.get_ident()))
        return name

    monkeypatch.setattr(service_stage, "_goes_on", lambda name, value: True)
    monkeypatch.setattr(ServiceStage, "_compute", compute)
    started = stage()
    started.start("scrape")
    started.start("cache")
    gate.set()
    started.join()
    assert [name for name, _ in computed] == ["readiness", "scrape"]
    assert len({thread for _, thread in computed}) == 1
    assert started.in_flight("analysis") is False  # not reached: its fixture computes it
