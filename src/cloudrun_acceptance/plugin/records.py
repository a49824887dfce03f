"""The run's records, one per target, kept apart from the targets' states: created when the
reporter is registered, written by the reporter from the checks' reports and by the release
with what it did to traffic, read back by key (``record_key``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from .targetstates import record_key

if TYPE_CHECKING:
    from ..report.record import RunRecord
    from .state import TargetSession

RECORDS_KEY = pytest.StashKey[dict[str, "RunRecord"]]()


def records_of(config: pytest.Config) -> dict[str, RunRecord]:
    """The run's records by key; none in a run that reports nothing (``--collect-only``)."""
    return config.stash.get(RECORDS_KEY, {})


def record_of(config: pytest.Config, state: TargetSession) -> RunRecord | None:
    """The record of ``state``'s target, when the run reports."""
    return records_of(config).get(record_key(state))
