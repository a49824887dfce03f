"""The run's Cloud Logging read quota: one pacer per project (google/quota.py), shared by
every read of the run, the logs checks' and each rollout step's, every target's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..google.quota import ReadPacer

if TYPE_CHECKING:
    from .state import GateState


def read_pacer(state: GateState, project: str) -> ReadPacer | None:
    """The pacer of ``project``'s read quota (``logs.reads_per_minute``), kept on the run's
    first state (None with no quota to keep to)."""
    per_minute = state.contract.logs.reads_per_minute
    if per_minute <= 0:
        return None
    pacers = state.run_states()[0].pacers
    if project not in pacers:
        pacers[project] = ReadPacer(per_minute)
    return pacers[project]
