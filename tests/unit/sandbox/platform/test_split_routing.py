"""Split routing: with it, each request of the service URL goes to a revision drawn by the
traffic's shares (none to a revision at 0%), tags still to their own revision; without it, all
to the largest share as before. The draws are seeded per start, and safe across threads."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from cloudrun_acceptance.sandbox.faults.profiles import behaviour_for
from cloudrun_acceptance.sandbox.platform.deployment import loopback_url, plan_deployment
from cloudrun_acceptance.sandbox.platform.traffic import Target, Traffic, pick_by_share

SERVICE_PORT = 9000
PORTS = (9001, 9002)
OLD, NEW = "emergence-app-00001-xyz", "emergence-app-00003-abc"


def traffic(*faults: str, seed: int = 1) -> Traffic:
    deployment = plan_deployment(behaviour_for(faults), {"A": "1"}, (), {}, 0.0)
    urls = {"service_url": loopback_url(SERVICE_PORT), "tag_url": loopback_url(PORTS[0])}
    return Traffic(replace(deployment, **urls), tag_ports=PORTS, seed=seed)


def routed(table: Traffic, requests: int = 4000) -> Counter[str]:
    return Counter(table.revision_for(SERVICE_PORT) for _ in range(requests))


@pytest.mark.parametrize(
    ("draw", "expected"),
    [(0.0, OLD), (0.7499, OLD), (0.75, NEW), (0.9999, NEW)],
)
def test_a_draw_lands_on_the_revision_whose_share_of_the_line_holds_it(draw, expected):
    assert pick_by_share({OLD: 75, NEW: 25}, draw) == expected


def test_a_revision_at_zero_is_never_drawn():
    for draw in (0.0, 0.3, 0.9999):
        assert pick_by_share({NEW: 0, OLD: 100}, draw) == OLD
        assert pick_by_share({OLD: 100, NEW: 0}, draw) == OLD


def test_the_service_urls_requests_follow_the_shares():
    table = traffic("rollout_candidate")
    table.set([Target(OLD, 75), Target(NEW, 25), Target(NEW, 0, "candidate")])
    counts = routed(table)
    assert 0.22 <= counts[NEW] / 4000 <= 0.28, counts
    # A latest target counts for the latest ready revision.
    table.set([Target(OLD, 50), Target(None, 50), Target(NEW, 0, "candidate")])
    assert 0.45 <= routed(table)[NEW] / 4000 <= 0.55
    assert table.share_of(NEW) == 50 and table.shares() == {OLD: 50, NEW: 50}


def test_at_zero_the_candidate_gets_none_of_the_service_url_and_all_of_its_tag():
    table = traffic("rollout_candidate")
    assert routed(table) == {OLD: 4000}
    assert {table.revision_for(PORTS[0]) for _ in range(200)} == {NEW}
    assert table.share_of(NEW) == 0
    table.set([Target(NEW, 100), Target(OLD, 0, "baseline"), Target(NEW, 0, "candidate")])
    assert routed(table) == {NEW: 4000}
    assert {table.revision_for(PORTS[1]) for _ in range(200)} == {OLD}


def test_without_split_routing_the_largest_share_takes_every_request():
    table = traffic("tagged_candidate")
    table.set([Target(OLD, 75), Target(NEW, 25), Target(NEW, 0, "candidate")])
    assert routed(table, 200) == {OLD: 200}
    assert traffic("rollout_candidate", "served_by_other").revision_for(SERVICE_PORT) == OLD


def test_the_draws_repeat_for_a_seed_and_differ_between_seeds():
    def sequence(seed: int) -> list[str]:
        table = traffic("rollout_candidate", seed=seed)
        table.set([Target(OLD, 50), Target(NEW, 50), Target(NEW, 0, "candidate")])
        return [table.revision_for(SERVICE_PORT) for _ in range(64)]

    assert sequence(3) == sequence(3)
    assert sequence(3) != sequence(4)


def test_routing_from_many_threads_keeps_the_shares():
    table = traffic("rollout_candidate")
    table.set([Target(OLD, 50), Target(NEW, 50), Target(NEW, 0, "candidate")])
    with ThreadPoolExecutor(8) as pool:
        counts = Counter(pool.map(lambda _: table.revision_for(SERVICE_PORT), range(8000)))
    assert sum(counts.values()) == 8000
    assert 0.46 <= counts[NEW] / 8000 <= 0.54


def test_a_url_of_a_revision_under_split_routing_leads_to_it_alone():
    table = traffic("rollout_candidate")
    table.set([Target(OLD, 75), Target(NEW, 25), Target(NEW, 0, "candidate")])
    # The service URL leads to either: each revision's own URL is its tag's, or none.
    assert table.url_of(NEW) == loopback_url(PORTS[0])
    assert table.url_of(OLD) is None
    table.set([Target(NEW, 100), Target(NEW, 0, "candidate")])
    assert table.url_of(NEW) == loopback_url(SERVICE_PORT)
