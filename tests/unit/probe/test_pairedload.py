"""The paired load's schedule, and the load itself against two real local servers."""

from __future__ import annotations

import time
from collections import Counter

from cloudrun_acceptance.model.compare import Endpoint
from cloudrun_acceptance.model.contract import RequestSpec
from cloudrun_acceptance.probe.client import ServiceClient
from cloudrun_acceptance.probe.pairedload import Kind, Plan, run_paired_load


def schedule(kinds: list[Kind]) -> list[tuple[str, RequestSpec, str]]:
    """Every exchange of a load that no judge stops, in the plan's order: each kind's budget."""
    plan = Plan(kinds)
    order = []
    while (item := plan.next()) is not None:
        order.append((item[1].name, item[1].request, item[3]))
    return order


HEALTH = Kind("health", RequestSpec("GET", "/health"), 2)
CACHED = Kind("cached", RequestSpec("POST", "/work"), 4)


def test_every_step_goes_to_both_sides_in_alternating_order():
    order = schedule([HEALTH, CACHED])
    assert len(order) == 2 * (2 + 4)
    pairs = [order[i : i + 2] for i in range(0, len(order), 2)]
    assert all(a[0] == b[0] for a, b in pairs)  # one kind per step
    firsts = [a[2] for a, _ in pairs]
    assert firsts == ["baseline", "candidate"] * 3


def test_the_kinds_are_spread_over_the_run_by_their_counts():
    kinds = [name for name, _, side in schedule([HEALTH, CACHED]) if side == "baseline"]
    assert Counter(kinds) == {"health": 2, "cached": 4}
    assert kinds == ["cached", "health", "cached", "cached", "health", "cached"]


def test_the_load_samples_both_sides(serve):
    url = serve(lambda method, path: (200, {}, b"ok"))
    load = run_paired_load(
        Endpoint("stable", url),
        Endpoint("candidate", url),
        [HEALTH],
        concurrency=2,
        deadline_seconds=5,
        client_for=lambda base: ServiceClient(base, timeout=2),
    )
    assert load.planned == 4
    assert [(s.side, s.status) for s in sorted(load.samples, key=lambda s: s.order)] == [
        ("baseline", 200),
        ("candidate", 200),
        ("candidate", 200),
        ("baseline", 200),
    ]
    assert not load.stopped_at_deadline
    assert all(s.seconds > 0 for s in load.samples)


def test_the_deadline_stops_the_load_and_a_cut_exchange_is_no_sample(serve):
    def slow(method, path):
        time.sleep(0.2)
        return 200, {}, b"ok"

    url = serve(slow)
    load = run_paired_load(
        Endpoint("stable", url),
        Endpoint("candidate", url),
        [Kind("slow", RequestSpec("GET", "/slow"), 10)],
        concurrency=1,
        deadline_seconds=1.0,
        client_for=lambda base: ServiceClient(base, timeout=2),
    )
    assert load.stopped_at_deadline
    assert 1 <= len(load.samples) < 20
    assert all(sample.status == 200 for sample in load.samples)


def test_the_mix_shares_the_count_by_weight_and_leaves_mutating_kinds_out_without_a_session():
    from cloudrun_acceptance.model.contract import CompareRequest, CompareRules
    from cloudrun_acceptance.probe.pairedload import mix_of

    rules = CompareRules(
        requests=(
            CompareRequest("health", RequestSpec("GET", "/h")),
            CompareRequest("order", RequestSpec("POST", "/o/{test_session}"), weight=2),
        ),
        count=300,
    )
    kinds, left_out = mix_of(rules, "s-1")
    assert [(k.name, k.request.path, k.count) for k in kinds] == [
        ("health", "/h", 100),
        ("order", "/o/s-1", 200),
    ]
    assert left_out == ()
    kinds, left_out = mix_of(rules, None)
    assert [k.name for k in kinds] == ["health"]
    assert left_out == (("order", "mutating: give a test session to send it (--test-session)"),)
