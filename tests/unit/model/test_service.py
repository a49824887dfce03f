"""The service as described: a revision's share of traffic, the traffic table, resource names."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from cloudrun_acceptance.model.service import (
    RevisionSummary,
    SecretMount,
    ServiceRef,
    TrafficRow,
)
from tests.unit.builders import service_facts

REF = ServiceRef("p", "europe-west1", "svc")


def test_share_sums_every_row_of_the_revision():
    facts = service_facts(
        traffic=(
            TrafficRow("svc-2", 50, latest=True),
            TrafficRow("svc-1", 30),
            TrafficRow("svc-2", 20, tag="candidate"),
        ),
        name="svc-2",
    )
    assert facts.share_of("svc-2") == 70
    assert facts.share_of("svc-9") == 0


def test_rows_and_mounts_print_as_tables_and_references():
    assert str(TrafficRow("svc-2", 100, latest=True)) == "100% -> svc-2 (LATEST)"
    assert str(TrafficRow("svc-1", 0, tag="old")) == "  0% -> svc-1 tag=old"
    assert str(SecretMount("OPENAI_API_KEY", "5")) == "OPENAI_API_KEY:5"
    assert REF.name == "projects/p/locations/europe-west1/services/svc"


def test_the_rollback_target_is_the_newest_older_ready_revision():
    now = datetime(2026, 11, 26, tzinfo=UTC)
    history = (
        RevisionSummary("svc-1", now - timedelta(hours=2), True),
        RevisionSummary("svc-2", now - timedelta(hours=1), False),
        RevisionSummary("svc-3", now, True),
        RevisionSummary("svc-4", now + timedelta(hours=1), True),
    )
    assert service_facts(history=history, name="svc-3").rollback_target() == "svc-1"
    assert service_facts(history=history, name="svc-1").rollback_target() is None
    assert service_facts(name="svc-3").rollback_target() is None


def test_a_deploy_has_settled_when_reconciled_and_the_revision_decided():
    facts = service_facts(ready=True)
    assert facts.settled
    assert not replace(facts, reconciling=True).settled
    assert not replace(facts, generation=5, observed_generation=4).settled
    assert not replace(facts, revision=replace(facts.revision, ready=None)).settled
    assert replace(facts, revision=replace(facts.revision, ready=False)).settled
    # A failed reconcile keeps observed_generation at the last serving revision's (the v2
    # reference of Service.reconciling): once reconciling is false, the deploy has settled.
    failed = replace(facts, revision=replace(facts.revision, ready=False))
    assert replace(failed, generation=5, observed_generation=4).settled
    assert not replace(failed, generation=5, observed_generation=4, reconciling=True).settled
    newer_failed = replace(facts, newest=replace(facts.revision, name="s-00004", ready=False))
    assert replace(newer_failed, generation=5, observed_generation=3).settled
