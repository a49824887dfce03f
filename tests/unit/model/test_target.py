"""The target: a label that names reports, a User-Agent the logs find, and a JSON round trip."""

from __future__ import annotations

from cloudrun_acceptance.model.target import Target
from cloudrun_acceptance.model.version import VERSION


def test_label_is_the_revision_when_known_else_the_service_or_the_host():
    base = Target(url="https://svc-abc-ew.a.run.app", url_origin="--service-url (command line)")
    assert base.label == "svc-abc-ew-a-run-app"
    named = Target(url=None, url_origin="", project="p", region="r", service="svc")
    assert named.label == "svc-revision-unknown"
    assert Target(**{**vars(named), "revision": "svc-00002-abc"}).label == "svc-00002-abc"
    assert Target(**{**vars(named), "revision": "00002-abc"}).label == "svc-00002-abc"


def test_ref_needs_project_region_and_service():
    assert Target(url="https://x", url_origin="", project="p", region="r").ref is None
    ref = Target(url=None, url_origin="", project="p", region="r", service="s").ref
    assert ref is not None and ref.name == "projects/p/locations/r/services/s"


def test_user_agent_carries_the_version_and_the_run():
    target = Target(url="https://x", url_origin="", run_id="abcd1234")
    assert target.user_agent == f"cloudrun-acceptance/{VERSION} (run abcd1234)"
    assert Target(url="https://x", url_origin="").run_id != target.run_id


def test_json_round_trip_for_xdist_workers():
    target = Target(url="https://x", url_origin="o", sandbox_faults=("metrics_html",))
    assert Target.from_json(target.to_json()) == target
