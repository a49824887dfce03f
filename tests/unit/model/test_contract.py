"""The contract's values: its requests with the session filled in, what health expects."""

from __future__ import annotations

from cloudrun_acceptance.model.contract import (
    RESOURCE_KEYS,
    RESOURCES,
    RESOURCES_BY_KEY,
    CounterRule,
    HealthRules,
    RequestSpec,
)


def test_a_request_fills_the_session_everywhere():
    body = {
        "session_id": "{test_session}",
        "force": True,
        "tags": ["{test_session}-x"],
        "meta": {"s": "{test_session}"},
    }
    spec = RequestSpec(
        "PUT",
        "/orders/{test_session}",
        query={"for": "{test_session}"},
        headers={"X-Session": "s={test_session}"},
        body_kind="json",
        body=body,
    )
    filled = spec.filled("abc")
    assert (filled.method, filled.path, filled.query, filled.headers) == (
        "PUT",
        "/orders/abc",
        {"for": "abc"},
        {"X-Session": "s=abc"},
    )
    assert filled.body == {
        "session_id": "abc",
        "force": True,
        "tags": ["abc-x"],
        "meta": {"s": "abc"},
    }
    form = RequestSpec("POST", "/x", body_kind="form", body={"who": "{test_session}"})
    assert form.filled("abc").body == {"who": "abc"}
    assert (
        RequestSpec("POST", "/x", body_kind="raw", body="{test_session}!").filled("a").body == "a!"
    )


def test_health_says_what_it_expects():
    assert HealthRules("/h").describe() == "200 with JSON"
    assert HealthRules("/h", json_keys=("status",)).describe() == "200 with JSON holding status"
    text = HealthRules("/h", status=204, content_type="text/plain", body_pattern="^ok$")
    assert text.describe() == "204 text/plain matching '^ok$'"
    assert not text.expects_json


def test_resources_are_one_table_of_key_title_and_flag():
    assert tuple(resource.key for resource in RESOURCES) == RESOURCE_KEYS
    assert RESOURCES_BY_KEY["timeout_seconds"].flag == "--timeout"
    assert len({resource.flag for resource in RESOURCES}) == len(RESOURCES)


def test_a_counter_rule_reads_as_a_promql_series():
    assert CounterRule("hits_total", {"b": "2", "a": "1"}).series == 'hits_total{a="1",b="2"}'
    assert CounterRule("hits_total").series == "hits_total"
