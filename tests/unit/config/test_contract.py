"""The contract loader: the shipped contract, optional sections, and errors naming key and fix."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.model.errors import ConfigError
from cloudrun_acceptance.model.version import CONTRACT_VERSION
from tests.paths import SHIPPED_CONTRACT


def write(tmp_path: Path, text: str, name: str = "contract.yaml") -> Path:
    path = tmp_path / name
    path.write_text(f"version: {CONTRACT_VERSION}\n{text}")
    return path


def test_shipped_contract_describes_the_runbook():
    contract = load_contract(SHIPPED_CONTRACT)
    assert len(contract.metrics.expected) == 13
    assert contract.metrics.min_present == 10
    assert contract.cache.budget_seconds == 0.3
    assert [rule.series for rule in contract.analysis.counters] == [
        'memory_analysis_success_total{provider="neo_analysis"}',
        "memory_analysis_cache_misses_total",
    ]
    first = contract.revision.secrets[0]
    assert (first.env, first.secret, first.version) == (
        "OPENAI_API_KEY",
        "OPENAI_API_KEY",
        "5",
    )
    assert contract.revision.resources["memory"] == "4Gi"
    assert contract.defaults == {"ready_timeout": "60", "logs_timeout": "120"}
    assert len(contract.sha256) == 64


BASE = "health: {path: /healthz}\nmetrics: {path: /metrics}\n"


def test_a_contract_with_only_a_health_path_skips_the_other_sections(tmp_path):
    contract = load_contract(write(tmp_path, "health: {path: /healthz}\n"))
    assert contract.health_path == "/healthz"
    assert (contract.metrics, contract.analysis, contract.cache) == (None, None, None)


def test_generic_defaults_only(tmp_path):
    contract = load_contract(write(tmp_path, BASE))
    assert contract.metrics is not None
    assert (contract.metrics.path, contract.metrics.fingerprint) == (
        "/metrics",
        "process_start_time_seconds",
    )
    assert contract.metrics.enable_env == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "metrics: [1, 2]\n",
            "metrics: expected a mapping, got a list ([1, 2]); write key: value lines.",
        ),
        ("healt: {}\n", "unknown key 'healt'; use one of health, http, metrics"),
        (
            "health: {path: api/health}\n",
            "health.path: 'api/health' is not a path; start it with /, such as /healthz.",
        ),
        (
            "analysis: {path: /a, body: {x: 1}}\ncache: {body: {x: 1}, budget_seconds: 0.3, samples: 2.5}\n",
            "cache.samples: 2.5 is not a whole number; write an integer.",
        ),
        (
            "analysis: {path: /a, body: {x: 1}}\ncache: {body: {x: 1}, budget_seconds: fast}\n",
            "cache.budget_seconds: expected a number, got text ('fast'); write a number, such as 0.3.",
        ),
        (
            "metrics: {expected: [{name: 9x, type: gauge}]}\n",
            "metrics.expected[0].name: '9x' is not a metric name",
        ),
        (
            "metrics: {min_present: 3, expected: [{name: a, type: gauge}]}\n",
            "metrics.min_present: 3 is more than the 1 expected metrics; give at most 1.",
        ),
        (
            "metrics: {expected: [{name: a, type: gauge}, {name: a, type: gauge}]}\n",
            "metrics.expected: 'a' is listed twice; list each metric once.",
        ),
        (
            "revision: {traffic_percent: 120}\n",
            "revision.traffic_percent: 120 is more than 100; give a percentage.",
        ),
        (
            "logs: {startup_lines: ['[Metrics']}\n",
            "logs.startup_lines[0]: '[Metrics' is not a regular expression",
        ),
        (
            "logs: {startup_lines: ['ok', 'Ready\\Z']}\n",
            "logs.startup_lines[1]: 'Ready\\\\Z': RE2 has no \\Z: \\z is the end of the text: "
            "Cloud Logging's filter takes RE2 regular expressions; write it in RE2's syntax",
        ),
        (
            "analysis: {path: /a, body: {x: 1}, counters: [{labels: {a: b}}]}\n",
            "analysis.counters[0].metric: is missing",
        ),
        (
            "defaults: {service_url: x}\n",
            "defaults: unknown key 'service_url'; use one of ready_timeout, logs_timeout, inconclusive.",
        ),
    ],
)
def test_contract_errors_name_the_key_and_the_fix(tmp_path, text, message):
    path = write(
        tmp_path, BASE + text if not text.startswith(("health", "metrics", "{}")) else text
    )
    with pytest.raises(ConfigError) as caught:
        load_contract(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_a_sandbox_section_even_empty_asks_for_the_teams_own_service(tmp_path):
    assert load_contract(write(tmp_path, BASE)).sandbox is None
    assert load_contract(write(tmp_path, BASE + "sandbox:\n")).sandbox.command == ""
    rules = load_contract(
        write(
            tmp_path,
            BASE + "sandbox: {command: [python, -m, shop], service: shop, env: {A: '1'}, "
            "test_session: order-1, start_timeout_seconds: 5}\n",
        )
    ).sandbox
    assert (rules.command, rules.service, dict(rules.env), rules.test_session) == (
        ("python", "-m", "shop"),
        "shop",
        {"A": "1"},
        "order-1",
    )
    assert rules.start_timeout_seconds == 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "sandbox: {service: My_Shop}\n",
            "sandbox.service: 'My_Shop' is not a Cloud Run service name",
        ),
        ("sandbox: {command: []}\n", "sandbox.command: is an empty list"),
        ("sandbox: {commands: x}\n", "sandbox: unknown key 'commands'"),
    ],
)
def test_sandbox_errors(tmp_path, text, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_contract(write(tmp_path, BASE + text))


def test_an_explicit_empty_list_of_requirements_asks_for_none(tmp_path):
    rules = load_contract(
        write(tmp_path, BASE + "preflight: {requirements: [], required_paths: []}\n")
    ).preflight
    assert (rules.requirements, rules.required_paths) == ((), ())
    assert load_contract(write(tmp_path, BASE + "preflight: {}\n")).preflight.requirements == (
        "prometheus-client",
    )
