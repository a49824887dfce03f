"""A filter's scope: the timestamp bounds and the insertId sample that every entry it selects
must satisfy, from the terms its top level requires (never from under OR or NOT)."""

from __future__ import annotations

from datetime import UTC, datetime

from cloudrun_acceptance.sandbox.logging.filter import Scope, parse_scoped

T0, T1 = "2026-12-07T10:00:00Z", "2026-12-07T10:05:00Z"
START = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
END = datetime(2026, 12, 7, 10, 5, tzinfo=UTC)


def scope(text: str) -> Scope:
    return parse_scoped(text)[1]


def test_required_bounds_and_sample_are_the_scope():
    text = f'(a="1" OR b="2") AND timestamp>="{T0}" AND timestamp<"{T1}" AND sample(insertId, 0.25)'
    assert scope(text) == Scope(START, END, 0.25)
    assert scope(f'timestamp>="{T0}" (timestamp<"{T1}" severity>=ERROR)') == Scope(START, END)


def test_terms_under_or_or_not_bound_nothing():
    assert scope(f'timestamp>="{T0}" OR a="1"') == Scope()
    assert scope(f'NOT timestamp>="{T0}"') == Scope()
    assert scope(f'-timestamp<"{T1}"') == Scope()
    assert scope(f'(timestamp>="{T0}" OR sample(insertId, 0.1)) AND a="1"') == Scope()
    assert scope("sample(trace, 0.1)") == Scope()  # a sample of another field


def test_the_tighter_of_two_bounds_and_samples_is_kept():
    text = f'timestamp>="2026-12-07T09:00:00Z" timestamp>="{T0}" sample(insertId, 0.5) ' + (
        "sample(insertId, 0.2)"
    )
    assert scope(text) == Scope(START, None, 0.2)
