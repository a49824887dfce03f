"""A counter reading: its delta, whether it moved enough, and how it reads in a message."""

from __future__ import annotations

from cloudrun_acceptance.model.contract import CounterRule
from cloudrun_acceptance.model.observations import Reading

RULE = CounterRule("jobs_total", {"kind": "a"}, 2)


def test_a_reading_moved_when_it_grew_by_at_least_the_rule():
    assert Reading(RULE, 1, 3).moved and Reading(RULE, 1, 3).delta == 2
    assert not Reading(RULE, 1, 2).moved


def test_descriptions_give_before_after_and_the_expectation():
    assert Reading(RULE, 1, 2).describe() == (
        'jobs_total{kind="a"}: before 1, after 2 (+1, expected at least +2)'
    )
    assert Reading(RULE, None, 2).describe() == (
        'jobs_total{kind="a"}: not exposed (before absent, after 2)'
    )
    assert Reading(RULE, None, 2).delta is None and not Reading(RULE, None, 2).moved
