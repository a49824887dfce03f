"""The JUnit testsuite properties: what was checked, with which contract, when, by what."""

from __future__ import annotations

from datetime import UTC, datetime

from ..model.service import ServiceFacts
from ..model.version import VERSION
from .record import RunRecord
from .release import release_properties


def suite_properties(record: RunRecord) -> list[tuple[str, str]]:
    """The JUnit testsuite properties: what was checked, with which contract, when, by what."""
    target, contract = record.target, record.contract
    facts = record.facts if isinstance(record.facts, ServiceFacts) else None
    values = {
        "service_url": target.url if target else None,
        "project": target.project if target else None,
        "region": target.region if target else None,
        "service": target.service if target else None,
        "revision": target.revision if target else None,
        "image": facts.revision.image if facts else None,
        "contract": str(contract.path) if contract else None,
        "contract_sha256": contract.sha256 if contract else None,
        "started_at": stamp(record.started),
        "finished_at": stamp(record.finished) if record.finished else None,
        "status": record.status,
        "gate_version": VERSION,
        **release_properties(record.release),
    }
    return [(f"cloudrun_acceptance.{key}", value) for key, value in values.items() if value]


def stamp(moment: datetime) -> str:
    """A UTC time as JUnit properties carry it: ``2026-11-25T10:00:00Z``."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
