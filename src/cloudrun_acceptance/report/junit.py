"""The JUnit properties: the testsuite's (what was checked, with which contract, when, by what)
and each testcase's (its verdict's figures), all named ``cloudrun_acceptance.<name>``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime

from ..model.compare import HISTOGRAM_PREFIX
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
    return [(f"{PROPERTY_PREFIX}{key}", value) for key, value in values.items() if value]


PROPERTY_PREFIX = "cloudrun_acceptance."
# The units a figure's name carries in brackets, as a property name's suffix.
_UNITS = {"(s)": "s", "(ms)": "ms", "(%)": "pct"}


def case_properties(figures: Mapping[str, str]) -> list[tuple[str, str]]:
    """A verdict's figures as testcase properties: ``first answer (s)`` becomes
    ``cloudrun_acceptance.first_answer_s``. Raw arrays (a histogram's bins and counts, a list
    of samples) stay out: the markdown report, which reads the figures from the run's record,
    draws them."""
    return [
        (property_name(key), value)
        for key, value in figures.items()
        if not key.startswith(HISTOGRAM_PREFIX) and not _is_array(value)
    ]


def property_name(figure: str) -> str:
    """A figure's name as a property name: prefixed, lower case, words joined by ``_``."""
    words = figure.lower()
    for bracket, unit in _UNITS.items():
        words = words.replace(bracket, unit)
    return PROPERTY_PREFIX + "_".join(re.findall(r"[a-z0-9]+", words))


def _is_array(value: str) -> bool:
    """Three or more numbers separated by spaces or commas: a list of samples, not a figure."""
    parts = [part for part in re.split(r"[\s,]+", value.strip()) if part]
    if len(parts) < 3:
        return False
    try:
        [float(part) for part in parts]
    except ValueError:
        return False
    return True


def stamp(moment: datetime) -> str:
    """A UTC time as JUnit properties carry it: ``2026-11-25T10:00:00Z``."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
