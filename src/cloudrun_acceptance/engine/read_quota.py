"""The run's Cloud Logging read quota: one pacer per project (google/quota.py), shared by
every read of the run, the logs checks' and each rollout step's, every target's; the pacers are
kept with what the run's targets share (plugin/state.py, ``RunShared.pacers``)."""

from __future__ import annotations

from ..google.quota import ReadPacer


def read_pacer(pacers: dict[str, ReadPacer], project: str, per_minute: int) -> ReadPacer | None:
    """The pacer of ``project``'s read quota among the run's ``pacers`` (made on first use;
    None with no quota to keep to: ``logs.reads_per_minute`` 0)."""
    if per_minute <= 0:
        return None
    if project not in pacers:
        pacers[project] = ReadPacer(per_minute)
    return pacers[project]
