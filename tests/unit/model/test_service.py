"""The service as described: a revision's share of traffic, the traffic table, resource names."""

from __future__ import annotations

from cloudrun_acceptance.model.service import (
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
