"""The target after the Admin API lookup: its URL (unless given) and the revision checked."""

from __future__ import annotations

from cloudrun_acceptance.model.errors import AdminApiError
from cloudrun_acceptance.model.target import Target
from cloudrun_acceptance.plugin.state import resolved
from tests.unit.builders import service_facts

FACTS = service_facts(uri="https://svc-abc.a.run.app", name="svc-2")
NAMED = Target(url=None, url_origin="Cloud Run Admin API", project="p", region="r", service="svc")


def test_the_lookup_gives_url_and_revision():
    target = resolved(NAMED, FACTS)
    assert (target.url, target.revision) == ("https://svc-abc.a.run.app", "svc-2")
    assert target.revision_origin == "latest ready, from the Cloud Run Admin API"


def test_a_given_url_and_revision_origin_are_kept():
    given = Target(
        **{
            **vars(NAMED),
            "url": "https://custom.example.com",
            "revision_origin": "--revision (command line)",
        }
    )
    target = resolved(given, FACTS)
    assert (target.url, target.revision_origin) == (
        "https://custom.example.com",
        "--revision (command line)",
    )


def test_a_failed_lookup_changes_nothing():
    assert resolved(NAMED, AdminApiError("denied", "grant it.", 403)) is NAMED
