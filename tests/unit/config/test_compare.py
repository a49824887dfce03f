"""compare: the candidate against the stable revision, and its request mix."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.model.errors import ConfigError
from cloudrun_acceptance.model.version import CONTRACT_VERSION
from tests.paths import SHIPPED_CONTRACT

BASE = """\
health:
  path: /healthz
analysis:
  path: /work
  body: {session: "{test_session}"}
cache:
  budget_seconds: 0.3
  body: {session: "{test_session}", again: true}
metrics:
  path: /metrics
"""


def load(tmp_path: Path, compare: str):
    path = tmp_path / "contract.yaml"
    path.write_text(f"version: {CONTRACT_VERSION}\n{BASE}{compare}")
    return load_contract(path)


def test_the_shipped_contract_compares_health_and_the_cached_call():
    rules = load_contract(SHIPPED_CONTRACT).compare
    assert [(kind.name, kind.request.method, kind.weight) for kind in rules.requests] == [
        ("health", "GET", 1),
        ("cached call", "POST", 1),
    ]
    assert (rules.max_count, rules.concurrency, rules.tolerance, rules.confidence) == (
        8000,
        4,
        0.1,
        0.95,
    )
    assert (rules.count, rules.error_tolerance) == (None, 0.01)
    assert [kind.mutating for kind in rules.requests] == [False, True]


def test_without_the_section_nothing_is_compared(tmp_path):
    assert load(tmp_path, "").compare is None


def test_the_section_alone_takes_every_default(tmp_path):
    rules = load(tmp_path, "compare:\n").compare
    assert [kind.name for kind in rules.requests] == ["health", "cached call"]
    assert rules.requests[0].request.path == "/healthz"
    assert (rules.max_count, rules.min_samples, rules.metrics, rules.config) == (
        8000,
        30,
        True,
        True,
    )
    assert (rules.deadline_seconds, rules.concurrency) == (180.0, 4)
    assert rules.count is None


def test_the_older_count_is_shared_by_weight_as_each_kinds_budget(tmp_path):
    rules = load(tmp_path, "compare:\n  count: 600\n").compare
    assert rules.count == 600
    assert [rules.budget_of(kind.weight) for kind in rules.requests] == [300, 300]
    assert load(tmp_path, "compare:\n  max_count: 800\n").compare.budget_of(1) == 800


def test_a_request_of_its_own_is_a_get_unless_it_says(tmp_path):
    rules = load(
        tmp_path,
        "compare:\n  requests:\n    - name: search\n      path: /search\n      query: {q: x}\n"
        "      weight: 2\n    - {name: order, method: POST, path: /orders, body: {n: 1}}\n",
    ).compare
    search, order = rules.requests
    assert (search.request.method, search.request.query, search.weight) == ("GET", {"q": "x"}, 2)
    assert (search.mutating, order.mutating) == (False, True)


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            "compare:\n  requests:\n    - use: cache\n      path: /x\n",
            "compare.requests[0].path: is given with use: cache; leave it out",
        ),
        (
            "compare:\n  requests:\n    - name: a\n",
            "compare.requests[0].path: is missing; give the request's path, or use: health",
        ),
        (
            "compare:\n  requests:\n    - use: health\n    - use: health\n",
            "compare.requests: 'health' is named twice; give each request a name of its own",
        ),
        ("compare:\n  confidence: 1\n", "compare.confidence: 1 is not below 1; give 0.95, say"),
        ("compare:\n  count: 1\n", "compare.count: 1 is fewer than the mix's 2 weights"),
        (
            "compare:\n  count: 600\n  max_count: 800\n",
            "compare.count: is given with max_count; keep max_count (the most exchanges with each "
            "revision per request kind) and drop count, its older spelling",
        ),
        (
            "compare:\n  error_tolerance: 1\n",
            "compare.error_tolerance: 1 is not below 1; give a share such as 0.01 (one point)",
        ),
        ("compare:\n  metrics: yes please\n", "compare.metrics: expected true or false"),
        ("compare:\n  tolerence: 0.1\n", "compare: unknown key 'tolerence'"),
    ],
)
def test_a_bad_section_names_the_key_and_the_fix(tmp_path, section, message):
    with pytest.raises(ConfigError) as err:
        load(tmp_path, section)
    assert message in str(err.value)
