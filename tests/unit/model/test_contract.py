"""The contract's values: the request bodies with the session filled in."""

from __future__ import annotations

from cloudrun_acceptance.model.contract import (
    RESOURCE_KEYS,
    RESOURCES,
    RESOURCES_BY_KEY,
    CounterRule,
    render_body,
)


def test_render_body_fills_the_session_everywhere():
    body = {
        "session_id": "{test_session}",
        "force": True,
        "tags": ["{test_session}-x"],
        "meta": {"s": "{test_session}"},
    }
    assert render_body(body, "abc") == {
        "session_id": "abc",
        "force": True,
        "tags": ["abc-x"],
        "meta": {"s": "abc"},
    }


def test_resources_are_one_table_of_key_title_and_flag():
    assert tuple(resource.key for resource in RESOURCES) == RESOURCE_KEYS
    assert RESOURCES_BY_KEY["timeout_seconds"].flag == "--timeout"
    assert len({resource.flag for resource in RESOURCES}) == len(RESOURCES)


def test_a_counter_rule_reads_as_a_promql_series():
    assert CounterRule("hits_total", {"b": "2", "a": "1"}).series == 'hits_total{a="1",b="2"}'
    assert CounterRule("hits_total").series == "hits_total"
