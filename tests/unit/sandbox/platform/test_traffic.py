"""Where each URL leads: the service URL to the largest share, each tag URL (a port of its own,
handed out as tags appear) to its tag's revision; and since when each revision's share is what
it is, on the table's clock."""

from __future__ import annotations

import json
import math
from dataclasses import replace

from cloudrun_acceptance.sandbox.admin.api import AdminApi
from cloudrun_acceptance.sandbox.admin.state import ServiceState
from cloudrun_acceptance.sandbox.faults.profiles import behaviour_for
from cloudrun_acceptance.sandbox.platform.deployment import loopback_url, plan_deployment
from cloudrun_acceptance.sandbox.platform.jsonserver import Request
from cloudrun_acceptance.sandbox.platform.traffic import Serving, Target, Traffic

SERVICE_PORT = 9000
PORTS = (9001, 9002, 9003, 9004)
OLD, FAILED, NEW = (f"emergence-app-{s}" for s in ("00001-xyz", "00002-fgh", "00003-abc"))
V2 = "/v2/projects/sandbox-project/locations/europe-west1/services/emergence-app"
V1 = "/apis/serving.knative.dev/v1/namespaces/sandbox-project/services/emergence-app"


def traffic(*faults: str) -> Traffic:
    deployment = plan_deployment(behaviour_for(faults), {"A": "1"}, (), {}, 0.0)
    urls = {"service_url": loopback_url(SERVICE_PORT), "tag_url": loopback_url(PORTS[0])}
    return Traffic(replace(deployment, **urls), tag_ports=PORTS)


def test_the_candidate_flow_leads_the_service_url_to_the_stable_and_the_tag_to_the_candidate():
    table = traffic("tagged_candidate")
    assert table.revision_for(SERVICE_PORT) == OLD
    assert table.revision_for(PORTS[0]) == NEW
    assert table.tag_urls() == {"candidate": loopback_url(PORTS[0])}
    # A port no tag has yet leads where the service URL does.
    assert table.revision_for(PORTS[1]) == OLD


def test_the_service_url_follows_the_largest_share_after_an_update():
    table = traffic("tagged_candidate")
    table.set([Target(NEW, 100), Target(NEW, 0, "candidate")])
    assert table.revision_for(SERVICE_PORT) == NEW
    table.set([Target(OLD, 30), Target(NEW, 30), Target(None, 40)])  # the latest is NEW: 70%
    assert table.revision_for(SERVICE_PORT) == NEW


def test_each_new_tag_gets_the_next_port_and_keeps_it_when_removed_and_given_again():
    table = traffic("tagged_candidate")
    table.set([Target(OLD, 100), Target(NEW, 0, "candidate"), Target(OLD, 0, "baseline")])
    assert table.tag_urls() == {
        "candidate": loopback_url(PORTS[0]),
        "baseline": loopback_url(PORTS[1]),
    }
    assert (table.revision_for(PORTS[0]), table.revision_for(PORTS[1])) == (NEW, OLD)
    table.set([Target(OLD, 100), Target(NEW, 0, "candidate")])
    assert table.revision_for(PORTS[1]) == OLD  # the tag is gone: where the service URL leads
    table.set([Target(NEW, 100), Target(NEW, 0, "baseline")])
    assert table.tag_urls() == {"baseline": loopback_url(PORTS[1])}
    assert table.revision_for(PORTS[1]) == NEW


def test_tags_beyond_the_bound_ports_have_no_url_of_their_own():
    table = traffic("tagged_candidate")
    assert table.without_url(["candidate", "a", "b", "c"]) == []
    assert table.without_url(["candidate", "a", "b", "c", "d"]) == ["d"]


def test_url_of_a_revision_is_the_service_url_or_a_tag_url_or_none():
    table = traffic("tagged_candidate")
    assert table.url_of(OLD) == loopback_url(SERVICE_PORT)
    assert table.url_of(NEW) == loopback_url(PORTS[0])
    assert table.url_of(FAILED) is None


def test_outside_the_candidate_flow_the_service_url_leads_to_the_revision_under_check():
    assert traffic().revision_for(SERVICE_PORT) == NEW
    assert traffic("served_by_other").revision_for(SERVICE_PORT) == OLD
    assert traffic().tag_urls() == {}


def admin(*faults: str) -> AdminApi:
    table = traffic(*faults)
    return AdminApi(ServiceState(table.deployment, table))


def answer(api: AdminApi, method: str, path: str, body=None):
    status, body = api(Request(method, path, {}, body, "127.0.0.1:8000"))
    return status, json.loads(json.dumps(body))


def test_a_baseline_tag_added_by_a_v2_update_has_its_own_url_in_both_protocols():
    api = admin("tagged_candidate")
    service = answer(api, "GET", V2)[1]
    service["traffic"].append(
        {"type": "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", "revision": OLD, "tag": "baseline"}
    )
    assert answer(api, "PATCH", V2, service)[0] == 200
    statuses = {s.get("tag"): s for s in answer(api, "GET", V2)[1]["trafficStatuses"]}
    assert (statuses["candidate"]["uri"], statuses["baseline"]["uri"]) == (
        loopback_url(PORTS[0]),
        loopback_url(PORTS[1]),
    )
    assert statuses["baseline"]["revision"] == OLD and "percent" not in statuses["baseline"]
    v1 = answer(api, "GET", V1)[1]["status"]["traffic"]
    assert {row.get("tag"): row.get("url") for row in v1} == {
        None: None,
        "candidate": loopback_url(PORTS[0]),
        "baseline": loopback_url(PORTS[1]),
    }
    assert api.traffic.revision_for(PORTS[1]) == OLD


def test_a_v1_replace_that_only_adds_a_tag_is_no_new_revision():
    api = admin("candidate_config_changed")
    service = answer(api, "GET", V1)[1]
    service["spec"]["traffic"].append({"revisionName": OLD, "tag": "baseline"})
    status, replaced = answer(api, "PUT", V1, service)
    assert status == 200, replaced
    assert replaced["status"]["latestCreatedRevisionName"] == NEW
    assert api.traffic.tag_urls()["baseline"] == loopback_url(PORTS[1])


def test_an_update_with_more_tags_than_urls_is_refused():
    api = admin("tagged_candidate")
    service = answer(api, "GET", V2)[1]
    for index in range(4):
        service["traffic"].append(
            {"type": "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", "revision": OLD, "tag": f"t{index}"}
        )
    status, refused = answer(api, "PATCH", V2, service)
    assert (status, refused["error"]["status"]) == (400, "FAILED_PRECONDITION")
    assert refused["error"]["message"] == (
        "The sandbox serves 4 tag URLs, bound as it started (given to: candidate); this "
        "update's 't3' would need more."
    )
    assert api.updates == []


class Clock:
    """A clock a test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def clocked(*faults: str) -> tuple[Traffic, Clock]:
    clock = Clock()
    table = traffic(*faults)
    return Traffic(table.deployment, tag_ports=PORTS, clock=clock), clock


def test_the_table_knows_when_each_share_last_changed_and_last_rose():
    table, clock = clocked("rollout_candidate")
    clock.now += 5
    # The deploy's shares: served since the table began, never raised by an update.
    assert (table.since_changed(OLD), table.since_changed(NEW)) == (5.0, math.inf)
    assert (table.since_rose(OLD), table.since_rose(NEW)) == (math.inf, math.inf)
    table.set([Target(OLD, 95), Target(NEW, 5), Target(NEW, 0, "candidate")])
    clock.now += 30
    assert (table.since_changed(OLD), table.since_changed(NEW)) == (30.0, 30.0)
    assert (table.since_rose(OLD), table.since_rose(NEW)) == (math.inf, 30.0)
    # An update that moves no share (a tag added) changes nothing of it.
    table.set([Target(OLD, 95), Target(NEW, 5), Target(NEW, 0, "candidate"), Target(OLD, 0, "b")])
    clock.now += 10
    assert (table.since_changed(NEW), table.since_rose(NEW)) == (40.0, 40.0)
    # Back to stable: the candidate's share changed (it fell), the stable's rose.
    table.set([Target(OLD, 100), Target(NEW, 0, "candidate")])
    clock.now += 1
    assert (table.since_changed(NEW), table.since_rose(NEW)) == (1.0, 41.0)
    assert (table.since_changed(OLD), table.since_rose(OLD)) == (1.0, 1.0)


def test_a_share_given_by_a_latest_target_counts_as_the_latest_revisions():
    table, clock = clocked("rollout_candidate")
    table.set([Target(OLD, 50), Target(None, 50)])
    clock.now += 2
    assert table.since_rose(NEW) == 2.0


def test_a_revision_sees_its_own_share_and_how_long_it_has_served_it():
    table, clock = clocked("rollout_candidate")
    table.set([Target(OLD, 75), Target(NEW, 25)])
    clock.now += 61
    assert (Serving(NEW, table).share(), Serving(NEW, table).held_seconds()) == (25, 61.0)
    assert (Serving(NEW).share(), Serving(NEW).held_seconds()) == (100, math.inf)


def test_only_a_tags_own_port_is_a_tagged_revisions():
    table = traffic("tagged_candidate")
    assert table.tagged_revision(PORTS[0]) == NEW
    assert table.tagged_revision(SERVICE_PORT) is None
    assert table.tagged_revision(PORTS[1]) is None  # no tag yet: where the service URL leads
