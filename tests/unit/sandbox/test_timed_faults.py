"""The noisy and the timed rollout profiles, through the front end and the live revisions,
in-process: each noisy answer waits at least its drawn noise; the candidate's users' reads slow
down once it has served its share past the delay, and its users' requests wait after a rise of
its share, decided on the traffic's clock (moved by hand: no test waits for a minute); and the
request log has each request's receipt time and whole latency, the wait included."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from cloudrun_acceptance.sandbox.faults.profiles import Behaviour, behaviour_for, stable_behaviour
from cloudrun_acceptance.sandbox.platform import frontend
from cloudrun_acceptance.sandbox.platform.deployment import (
    SESSION_ID,
    Deployment,
    LogStore,
    loopback_url,
    plan_deployment,
)
from cloudrun_acceptance.sandbox.platform.frontend import Frontend
from cloudrun_acceptance.sandbox.platform.traffic import Target, Traffic
from cloudrun_acceptance.sandbox.reference import concepts
from cloudrun_acceptance.sandbox.reference import service as service_module
from cloudrun_acceptance.sandbox.reference.liverevisions import start_revisions
from cloudrun_acceptance.sandbox.reference.servicetimes import LatencyNoise, service_times

ENV = {"CONCEPT_RECALL_METRICS_ENABLED": "true"}
SERVICE_PORT, TAG_PORT = 9000, 9001
OLD, NEW = "emergence-app-00001-xyz", "emergence-app-00003-abc"
CANDIDATE_TAG = Target(NEW, 0, "candidate")
# asyncio may wake a timer up to its clock's resolution early; a lower bound allows for it.
EARLY = 0.001


class Clock:
    """The traffic's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Service:
    """The front end over the live revisions of ``behaviour``'s deployment, called in-process,
    its traffic on a clock of the test's."""

    def __init__(self, behaviour: Behaviour, seed: int = 7) -> None:
        planned = plan_deployment(behaviour, ENV, (), {"cpu": "2"}, 0.01)
        urls = {"service_url": loopback_url(SERVICE_PORT), "tag_url": loopback_url(TAG_PORT)}
        self.deployment: Deployment = replace(planned, **urls)
        self.clock = Clock()
        self.traffic = Traffic(self.deployment, tag_ports=(TAG_PORT,), clock=self.clock)
        self.log = LogStore(self.deployment)
        self.live = start_revisions(self.deployment, self.log, seed, self.traffic)
        apps = {name: revision.app for name, revision in self.live.items()}
        self.frontend = Frontend(
            self.live[NEW].app, self.deployment, self.log, self.traffic, revisions=apps
        )

    def calls(self, *calls: tuple[int, str, str, dict[str, Any] | None]) -> list[httpx.Response]:
        """Each (port, method, path, json body) in turn."""

        async def send() -> list[httpx.Response]:
            transport = httpx.ASGITransport(app=self.frontend)
            answers = []
            async with httpx.AsyncClient(transport=transport) as client:
                for port, method, path, body in calls:
                    url = f"{loopback_url(port)}{path}"
                    answers.append(await client.request(method, url, json=body))
            return answers

        return asyncio.run(send())

    def get(self, port: int, path: str, times: int = 1) -> list[httpx.Response]:
        return self.calls(*[(port, "GET", path, None)] * times)

    def logged(self) -> list[tuple[str, float]]:
        """Each logged request's revision and latency, in order."""
        return [
            (e["resource"]["labels"]["revision_name"], float(e["httpRequest"]["latency"][:-1]))
            for e in self.log.entries
            if "httpRequest" in e
        ]


def recorded_sleeps(monkeypatch: pytest.MonkeyPatch, module: Any) -> list[float]:
    """What ``module`` asks asyncio to sleep, each in turn, instead of sleeping."""
    asked: list[float] = []
    real_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def sleep(seconds: float) -> None:
        asked.append(seconds)
        await real_sleep(0)

    monkeypatch.setattr(module, "asyncio", SimpleNamespace(sleep=sleep))
    return asked


@pytest.mark.parametrize("name", ["noisy_pair", "noisy_slower"])
def test_each_noisy_answer_waits_at_least_its_service_time_and_drawn_noise(name):
    service = Service(behaviour_for([name]))
    body = {"session_id": SESSION_ID}
    service.calls((TAG_PORT, "POST", "/api/memory/analyze", {**body, "force": True}))
    for port in (SERVICE_PORT, TAG_PORT):
        service.get(port, "/api/health", 40)
        service.calls(*[(port, "POST", "/api/memory/analyze", body)] * 10)
    for revision in (OLD, NEW):
        running = service.live[revision].running
        # The answers draw the revision's noise in turn, as a generator of the same seed does.
        noise = LatencyNoise(running.behaviour, running.seed)
        times = service_times(running.behaviour, 0.01)
        expected = [times.health + noise() for _ in range(40)]
        expected += [times.cache_hit + noise() for _ in range(10)]
        logged = [latency for logged_by, latency in service.logged() if logged_by == revision]
        latencies = logged[-50:]  # the candidate's first entry is the forced analysis
        assert all(got >= want - EARLY for got, want in zip(latencies, expected, strict=True))
    assert service.live[OLD].running.behaviour == stable_behaviour(behaviour_for([name]))


def test_the_candidates_reads_slow_down_once_it_has_served_its_share_past_the_delay(monkeypatch):
    service = Service(behaviour_for(["step_late_regression"]))
    slept = recorded_sleeps(monkeypatch, concepts)

    def reads(count: int = 40) -> dict[str, set[float]]:
        """The service time each revision's reads waited, by revision."""
        start = len(slept)
        answers = service.get(SERVICE_PORT, "/api/concepts?q=swarm", count)
        waited: dict[str, set[float]] = {OLD: set(), NEW: set()}
        for answer, seconds in zip(answers, slept[start:], strict=True):
            waited[answer.json()["revision"]].add(round(seconds, 6))
        return waited

    service.traffic.set([Target(OLD, 50), Target(NEW, 50), CANDIDATE_TAG])
    service.clock.now += 60  # the whole first minute: as good as the stable revision
    assert reads() == {OLD: {0.01}, NEW: {0.01}}
    service.clock.now += 0.5
    assert reads() == {OLD: {0.01}, NEW: {0.015}}
    # A new share starts the minute again.
    service.traffic.set([Target(OLD, 25), Target(NEW, 75), CANDIDATE_TAG])
    service.clock.now += 30
    assert reads()[NEW] == {0.01}
    service.clock.now += 31
    assert reads()[NEW] == {0.015}


def test_a_shortened_delay_on_the_behaviour_is_the_one_honoured(monkeypatch):
    late = replace(behaviour_for(["step_late_regression"]), late_regression_after_seconds=0.5)
    service = Service(late)
    slept = recorded_sleeps(monkeypatch, concepts)
    service.traffic.set([Target(NEW, 100), CANDIDATE_TAG])
    service.clock.now += 0.4
    service.get(SERVICE_PORT, "/api/concepts")
    service.clock.now += 0.2
    service.get(SERVICE_PORT, "/api/concepts")
    assert [round(seconds, 6) for seconds in slept] == [0.01, 0.015]


def test_after_a_rise_the_candidates_routed_requests_wait_for_the_rest_of_the_cold_start(
    monkeypatch,
):
    service = Service(behaviour_for(["step_cold_start"]))
    held = recorded_sleeps(monkeypatch, frontend)
    for answering in (concepts, service_module):  # their service times: not this test's
        recorded_sleeps(monkeypatch, answering)

    def sent(port: int = SERVICE_PORT, path: str = "/api/concepts") -> tuple[int, list[float]]:
        """How many of 30 requests the candidate answered, and the waits the front end held
        requests for (only a held request asks it to sleep)."""
        start = len(held)
        answers = service.get(port, path, 30)
        assert {answer.status_code for answer in answers} == {200}
        return [a.json()["revision"] for a in answers].count(NEW), held[start:]

    # At 0% nothing is held: not the gate's requests at the tag URL either.
    assert sent(TAG_PORT) == (30, [])
    service.traffic.set([Target(OLD, 50), Target(NEW, 50), CANDIDATE_TAG])
    service.clock.now += 3
    candidates, waits = sent()
    assert 5 <= candidates <= 25  # the split's draws: the stable's requests are never held
    assert waits == [pytest.approx(7.0)] * candidates
    candidates, waits = sent(path="/api/health")  # every users' request, not only the reads
    assert waits == [pytest.approx(7.0)] * candidates
    # Not at the candidate's tag URL: the gate's requests are not the split's.
    assert sent(TAG_PORT) == (30, [])
    service.clock.now += 7
    assert sent()[1] == []
    # A fall is no rise; the next rise starts the cold start again.
    service.traffic.set([Target(OLD, 75), Target(NEW, 25), CANDIDATE_TAG])
    assert sent()[1] == []
    service.traffic.set([Target(NEW, 100), CANDIDATE_TAG])
    service.clock.now += 9.5
    assert sent() == (30, [pytest.approx(0.5)] * 30)


def test_a_held_request_is_logged_at_its_receipt_with_its_whole_latency():
    cold = replace(behaviour_for(["step_cold_start"]), step_cold_start_seconds=0.25)
    service = Service(cold)
    service.traffic.set([Target(NEW, 100), CANDIDATE_TAG])
    service.clock.now += 0.05  # 0.2 s of the cold start left, really waited
    before = datetime.now(UTC)
    (answer,) = service.get(SERVICE_PORT, "/api/concepts")
    after = datetime.now(UTC)
    assert answer.json()["revision"] == NEW
    (entry,) = [e for e in service.log.entries if "httpRequest" in e]
    received = datetime.fromisoformat(entry["timestamp"])
    latency = float(entry["httpRequest"]["latency"].removesuffix("s"))
    # Received before the wait, answered after it: the entry's time is when it came in.
    assert latency >= 0.2 + 0.01 - EARLY  # the wait, then the read's 10 ms
    assert before - timedelta(milliseconds=1) <= received
    assert received + timedelta(seconds=0.2) <= after
    assert math.isclose(service.traffic.since_rose(NEW), 0.05)
