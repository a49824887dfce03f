"""The target after the Admin API's read: its URL (unless given) and the revision checked; and
the full read against the first one that pointed the gate."""

from __future__ import annotations

from dataclasses import replace

from cloudrun_acceptance.engine.resolution import moved, resolved
from cloudrun_acceptance.model.errors import AdminApiError
from cloudrun_acceptance.model.service import ServiceAddress
from cloudrun_acceptance.model.target import Target
from tests.unit.builders import service_facts

FACTS = service_facts(uri="https://svc-abc.a.run.app", name="svc-2")
NAMED = Target(url=None, url_origin="Cloud Run Admin API", project="p", region="r", service="svc")


def test_the_address_gives_url_and_revision():
    target = resolved(NAMED, FACTS.address)
    assert (target.url, target.revision) == ("https://svc-abc.a.run.app", "svc-2")
    assert target.revision_origin == "latest ready, from the Cloud Run Admin API"


def test_a_tag_gives_its_url_and_says_so():
    target = resolved(
        NAMED, ServiceAddress("https://candidate---svc.a.run.app", "svc-3", "candidate")
    )
    assert (target.url, target.revision) == ("https://candidate---svc.a.run.app", "svc-3")
    assert (
        target.url_origin
        == target.revision_origin
        == ("traffic tag 'candidate', from the Cloud Run Admin API")
    )


def test_a_given_url_and_revision_origin_are_kept():
    given = replace(
        NAMED, url="https://custom.example.com", revision_origin="--revision (command line)"
    )
    target = resolved(given, FACTS.address)
    assert (target.url, target.revision_origin) == (
        "https://custom.example.com",
        "--revision (command line)",
    )


def test_no_address_changes_nothing():
    assert resolved(NAMED, None) is NAMED


def test_the_full_read_stands_when_it_agrees_with_the_first():
    assert moved(FACTS.address, FACTS) is FACTS
    assert moved(None, FACTS) is FACTS


def test_a_service_moved_between_the_reads_is_an_admin_api_failure():
    first = ServiceAddress("https://svc-abc.a.run.app", "svc-1")
    found = moved(first, FACTS)
    assert isinstance(found, AdminApiError)
    assert found.summary == (
        "the service changed while the gate read it: first revision svc-1 at "
        "https://svc-abc.a.run.app, then revision svc-2 at https://svc-abc.a.run.app"
    )
    assert "run the gate again once it has finished" in found.advice


def test_a_canary_phase_below_100_leaves_the_service_url_checks_unreachable():
    from cloudrun_acceptance.engine.resolution import canary_skip
    from cloudrun_acceptance.model.service import TrafficRow

    split = replace(FACTS, traffic=(TrafficRow("svc-1", 75), TrafficRow("svc-2", 25)))
    assert canary_skip(split) == (
        "in this canary phase svc-2 serves 25% of traffic: the service URL leads to it and to "
        "svc-1, so its checks cannot reach it alone; the phase is judged on its users' requests "
        "(test_canary_phase_is_judged_on_its_users_requests)"
    )
    assert canary_skip(replace(FACTS, traffic=(TrafficRow("svc-2", 100),))) == ""
    assert canary_skip(AdminApiError("denied", "grant it.", 403)) == ""
