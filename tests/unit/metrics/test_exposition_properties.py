"""Bad input at scale: any text, and real expositions mutated at random, either parse into a
snapshot that lookups and lint can read, or raise ExpositionError. Nothing else escapes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloudrun_acceptance.metrics.exposition import OPENMETRICS_CONTENT_TYPE, parse_exposition
from cloudrun_acceptance.metrics.lint import lint
from cloudrun_acceptance.model.errors import ExpositionError
from cloudrun_acceptance.model.exposition import Snapshot
from tests.paths import EXPOSITIONS

SEED_LINES = (EXPOSITIONS / "prometheus.txt").read_text().splitlines()[:120] + (
    EXPOSITIONS / "promtool_rules.txt"
).read_text().splitlines()
PIECES = ["#", " ", "# TYPE ", "# HELP ", "{", "}", '"', "=", ",", "\\", "\n", "le=", "+Inf",
          "_total", "_bucket", "NaN", "1e308", "-", "counter", "histogram", "summary", "\t", "\x00"]  # fmt: skip


def read_everything(snapshot: Snapshot) -> None:
    """What the gate does with a snapshot: lookups of every name, values, lint."""
    names = [*snapshot.families, "process_start_time_seconds", "x_total", ""]
    for name in names:
        snapshot.family(name)
        snapshot.value(name, {"le": "+Inf"})
        snapshot.closest(name)
    snapshot.names()
    lint(snapshot)


def outcome(text: str, content_type: str) -> None:
    try:
        snapshot = parse_exposition(text, content_type)
    except ExpositionError:
        return
    read_everything(snapshot)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.sampled_from(SEED_LINES), min_size=1, max_size=40))
    for _ in range(draw(st.integers(0, 6))):
        index = draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        cut = draw(st.integers(0, len(line)))
        kind = draw(st.sampled_from(["insert", "delete", "duplicate", "truncate"]))
        if kind == "insert":
            lines[index] = line[:cut] + draw(st.sampled_from(PIECES)) + line[cut:]
        elif kind == "delete":
            lines[index] = line[:cut] + line[cut + 1 :]
        elif kind == "duplicate":
            lines.insert(index, line)
        else:
            lines[index] = line[:cut]
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n# EOF\n"]))


PROFILE = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("content_type", ["text/plain; version=0.0.4", OPENMETRICS_CONTENT_TYPE])
@PROFILE
@given(text=st.text(max_size=300))
def test_any_text_is_a_snapshot_or_an_exposition_error(content_type, text):
    outcome(text, content_type)


@pytest.mark.parametrize("content_type", ["text/plain; version=0.0.4", OPENMETRICS_CONTENT_TYPE])
@PROFILE
@given(text=mutated())
def test_mutated_real_expositions_are_a_snapshot_or_an_exposition_error(content_type, text):
    outcome(text, content_type)
