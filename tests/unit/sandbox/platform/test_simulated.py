"""Users simulated at a rate: the same requests at every read, routed by the split of their
moment, what the candidate's behaviour does to them, and the same requests counted and listed."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime

import numpy as np

from cloudrun_acceptance.sandbox.faults.profiles import behaviour_for
from cloudrun_acceptance.sandbox.logging.filter import Scope, parse_scoped
from cloudrun_acceptance.sandbox.monitoring.samples import tally_of
from cloudrun_acceptance.sandbox.platform.deployment import LogStore, plan_deployment, rfc3339
from cloudrun_acceptance.sandbox.platform.simulated import (
    HISTORY_SECONDS,
    SIMULATED_AGENT,
    SimulatedUsers,
)
from cloudrun_acceptance.sandbox.platform.traffic import Split

T = 1_800_000_000.0  # the first split; every test's clock is past the seconds it reads
CANDIDATE, STABLE = "emergence-app-00003-abc", "emergence-app-00001-xyz"


def users(*profile: str, splits=(), now=T + 60, rate=200.0, **changes) -> SimulatedUsers:
    behaviour = replace(behaviour_for(profile or ["busy"]), **changes)
    deployment = plan_deployment(behaviour, {}, (), {}, 0.0)
    history = splits or (Split(T, {STABLE: 100}), Split(T + 10, {STABLE: 50, CANDIDATE: 50}))
    return SimulatedUsers(deployment, rate, lambda: history, seed=7, now=lambda: now)


def stamp(at: float) -> str:
    return rfc3339(datetime.fromtimestamp(at, UTC))


def between(start: float, end: float, fraction: float = 1.0) -> Scope:
    return Scope(datetime.fromtimestamp(start, UTC), datetime.fromtimestamp(end, UTC), fraction)


def test_a_stretch_holds_the_same_requests_at_every_read_and_none_before_the_users_came():
    simulated = users()
    came = T - HISTORY_SECONDS  # the users of the first split came before the sandbox started
    first = list(simulated.requests(between(came - 5, came + 5), visible_before=T + 60))
    again = list(users().requests(between(came - 5, came + 5), visible_before=T + 60))
    assert first == again
    assert 800 < len(first) < 1200  # 200 a second for the 5 s from when they came
    stamps = [entry["timestamp"] for entry in first]
    assert stamps == sorted(stamps) and stamps[0] >= stamp(came)
    assert {entry["httpRequest"]["userAgent"] for entry in first} == {SIMULATED_AGENT}
    assert len({entry["insertId"] for entry in first}) == len(first)


def test_each_request_goes_where_the_split_of_its_moment_sends_it():
    simulated = users()
    before = Counter(
        e["resource"]["labels"]["revision_name"]
        for e in simulated.requests(between(T - 30, T + 10), T + 60)
    )
    after = Counter(
        e["resource"]["labels"]["revision_name"]
        for e in simulated.requests(between(T + 10, T + 30), T + 60)
    )
    assert set(before) == {STABLE}
    assert 0.4 < after[CANDIDATE] / (after[CANDIDATE] + after[STABLE]) < 0.6


def test_only_seconds_that_passed_exist_and_an_entry_shows_once_its_request_ended():
    simulated = users(now=T + 20.5)
    listed = list(simulated.requests(between(T, T + 60), visible_before=T + 20.5))
    assert max(entry["timestamp"] for entry in listed) < stamp(T + 20)
    late = list(simulated.requests(between(T, T + 60), visible_before=T + 5))
    assert all(
        datetime.fromisoformat(e["timestamp"].replace("Z", "+00:00")).timestamp()
        + float(e["httpRequest"]["latency"][:-1])
        <= T + 5
        for e in late
    )


def test_the_sample_of_the_scope_is_the_filters_own_sample():
    simulated = users()
    text = "sample(insertId, 0.1) AND httpRequest.status>0"
    matches, scope = parse_scoped(text)
    stretch = between(T, T + 30)
    everything = [e for e in simulated.requests(stretch, T + 60) if matches(e)]
    scoped = [e for e in simulated.requests(replace(stretch, fraction=scope.fraction), T + 60)]
    assert scoped == everything
    assert 400 < len(scoped) < 800  # a tenth of 6000


def test_latencies_are_the_listed_requests_by_revision_and_status_and_tally_as_listed():
    simulated = users("busy", user_error_rate=0.1)
    listed = [e for e in simulated.requests(between(T, T + 30 - 1e-6), T + 600)]
    by_kind = Counter(
        (e["resource"]["labels"]["revision_name"], e["httpRequest"]["status"]) for e in listed
    )
    bounds = (10.0, 50.0, 200.0)
    counted: Counter[tuple[str, int]] = Counter()
    buckets = [0.0] * 4
    millis = 0.0
    for (revision, status, _), drawn in simulated.latencies(T, T + 30).items():
        tally = tally_of(drawn, np.asarray(bounds))
        counted[revision, status] += int(tally[:-1].sum())
        buckets = [a + b for a, b in zip(buckets, tally[:-1], strict=True)]
        millis += tally[-1]
    assert counted == by_kind
    assert counted[CANDIDATE, 500] > 0 and counted[STABLE, 500] == 0
    latencies = [1000 * float(e["httpRequest"]["latency"][:-1]) for e in listed]
    assert buckets[0] == sum(1 for ms in latencies if ms < 10.0)
    assert buckets[3] == sum(1 for ms in latencies if ms >= 200.0)
    assert abs(millis - sum(latencies)) < 0.01 * len(latencies)  # the log writes 1-us latencies


def test_a_late_regression_begins_once_the_candidate_held_its_share_that_long():
    simulated = users("busy_late_regression", late_regression_after_seconds=5.0)

    def candidate(start: float, end: float) -> list[dict]:
        return [
            e["httpRequest"]
            for e in simulated.requests(between(start, end), T + 600)
            if e["resource"]["labels"]["revision_name"] == CANDIDATE
        ]

    early, late = candidate(T + 10, T + 15), candidate(T + 16, T + 30)
    assert not any(request["status"] == 500 for request in early)
    assert 0.005 < sum(request["status"] == 500 for request in late) / len(late) < 0.05
    median = lambda requests: sorted(float(r["latency"][:-1]) for r in requests)[len(requests) // 2]  # noqa: E731
    assert median(late) > 1.3 * median(early)


def test_a_cold_start_makes_the_candidates_first_requests_after_a_rise_wait():
    simulated = users("busy_cold_start", step_cold_start_seconds=3.0)
    waits = [
        float(e["httpRequest"]["latency"][:-1])
        for e in simulated.requests(between(T + 10, T + 11), T + 600)
        if e["resource"]["labels"]["revision_name"] == CANDIDATE
    ]
    assert min(waits) > 2.0  # received within the first second: over 2 s left to wait
    after = [
        float(e["httpRequest"]["latency"][:-1])
        for e in simulated.requests(between(T + 14, T + 20), T + 600)
        if e["resource"]["labels"]["revision_name"] == CANDIDATE
    ]
    assert max(after) < 2.0


def test_the_log_lists_simulated_requests_beside_its_own_entries():
    simulated = users()
    log = LogStore(simulated.deployment, simulated=simulated)
    log.request("GET", "http://127.0.0.1:1/api/health", 200, 0.01, "cloudrun-acceptance/1")
    assert len(log.snapshot()) == 1  # the simulated ones are made when a listing asks
