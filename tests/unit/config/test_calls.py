"""The contract's calls: health expectations and requests of any method, query, headers, body."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.model.contract import HealthRules, RequestSpec
from cloudrun_acceptance.model.errors import ConfigError
from cloudrun_acceptance.model.version import CONTRACT_VERSION

METRICS = "metrics: {path: /metrics}\n"


def load(tmp_path, text):
    path = tmp_path / "contract.yaml"
    path.write_text(f"version: {CONTRACT_VERSION}\n{text}")
    return load_contract(path)


def test_todays_contract_keys_keep_their_meaning(tmp_path):
    contract = load(
        tmp_path,
        "health: {path: /api/health}\n"
        + METRICS
        + "analysis: {path: /a, body: {s: '{test_session}'}}\n"
        "cache: {body: {s: x}, budget_seconds: 0.3}\n",
    )
    assert contract.health == HealthRules("/api/health")
    assert contract.analysis.request == RequestSpec(
        "POST", "/a", body_kind="json", body={"s": "{test_session}"}
    )
    assert contract.cache.request == RequestSpec("POST", "/a", body_kind="json", body={"s": "x"})


def test_a_text_health_and_an_action_that_is_not_post_json(tmp_path):
    contract = load(
        tmp_path,
        """
health: {path: /healthz, content_type: text/plain, body_pattern: '^ok$'}
metrics: {path: /internal/metrics}
analysis:
  method: put
  path: /orders/{test_session}
  query: {dry_run: "1"}
  headers: {X-Shop-Client: gate}
  form: {item: widget, qty: 2}
cache:
  method: GET
  budget_seconds: 0.3
""",
    )
    assert contract.health.describe() == "200 text/plain matching '^ok$'"
    assert contract.analysis.request == RequestSpec(
        "PUT",
        "/orders/{test_session}",
        query={"dry_run": "1"},
        headers={"X-Shop-Client": "gate"},
        body_kind="form",
        body={"item": "widget", "qty": "2"},
    )
    # The cache call repeats the action's path, query and headers; its body is its own (none).
    assert contract.cache.request == RequestSpec(
        "GET", "/orders/{test_session}", {"dry_run": "1"}, {"X-Shop-Client": "gate"}
    )


def test_a_raw_body(tmp_path):
    contract = load(
        tmp_path,
        "health: {path: /h}\n" + METRICS + "analysis: {path: /a, raw: 'x={test_session}'}\n",
    )
    assert (contract.analysis.request.body_kind, contract.analysis.request.body) == (
        "raw",
        "x={test_session}",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "health: {path: /h, json_keys: [a], body_pattern: ok}\n",
            "health.body_pattern: is given with json_keys; give json_keys for a JSON answer, or "
            "body_pattern for text.",
        ),
        ("health: {path: /h, status: 42}\n", "health.status: 42 is not an HTTP status"),
        (
            "health: {path: /h, body_pattern: '(ok'}\n",
            "health.body_pattern: '(ok' is not a regular",
        ),
        (
            "health: {path: /h}\n" + METRICS + "analysis: {path: /a, body: {}, form: {a: b}}\n",
            "analysis.form: is given with body; give one body: body (JSON), form (fields) or raw "
            "(text).",
        ),
        (
            "health: {path: /h}\n" + METRICS + "analysis: {path: /a, method: FETCH}\n",
            "analysis.method: 'FETCH' is not an HTTP method",
        ),
        (
            "health: {path: /h}\n" + METRICS + "analysis: {path: /a, body: text}\n",
            "analysis.body: expected a JSON object or list, got text ('text'); write a mapping, "
            "or use raw: for a body of text.",
        ),
        (
            "health: {path: /h}\n" + METRICS + "analysis: {method: GET}\n",
            "analysis.path: is missing; give the path of the call",
        ),
        (
            "health: {path: /h}\n" + METRICS + "cache: {budget_seconds: 0.3}\n",
            "cache: needs an analysis section",
        ),
        (
            "health: {path: /h}\nmetrics: {disabled_pattern: '[off'}\n",
            "metrics.disabled_pattern: '[off' is not a regular expression",
        ),
    ],
    ids=[
        "keys-and-pattern",
        "status",
        "pattern",
        "two-bodies",
        "method",
        "json-body",
        "no-path",
        "cache-alone",
        "disabled-pattern",
    ],
)
def test_call_errors_name_the_key_and_the_fix(tmp_path, text, message):
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    assert message in str(caught.value)


def test_a_placeholder_left_by_init_is_refused_with_its_key(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, 'health: {path: "<FILL IN: the health path, such as /healthz>"}\n')
    assert str(caught.value) == (
        f"{tmp_path / 'contract.yaml'}: health.path: '<FILL IN: the health path, such as "
        "/healthz>' is a placeholder: cloudrun-acceptance init could not read this value; fill "
        "it in (the text says what goes there), or remove the key if it is optional."
    )
