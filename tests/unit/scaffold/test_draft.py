"""The drafted contract: what was read becomes a section the loader takes as it is; what was
not is a placeholder it refuses, or a commented-out example of an optional section."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.model.contract import ExpectedMetric, SecretRef
from cloudrun_acceptance.model.errors import AdminApiError, ConfigError
from cloudrun_acceptance.model.preflight import Dockerfile, Instruction, Requirement, Requirements
from cloudrun_acceptance.model.service import SecretMount
from cloudrun_acceptance.scaffold.draft import draft_contract, draft_env
from cloudrun_acceptance.scaffold.families import FamiliesSeen
from cloudrun_acceptance.scaffold.read import HealthSeen, MetricsSeen, TreeSeen
from tests.unit.builders import service_facts

NO_TREE = TreeSeen(Path("."), Dockerfile("Dockerfile", found=False), Requirements("", False), False)
METRICS = MetricsSeen(
    "/internal/metrics",
    "http://svc/internal/metrics",
    FamiliesSeen(
        required=(
            ExpectedMetric("orders_total", "counter", ("channel",)),
            ExpectedMetric("open", "gauge"),
        ),
        library=(ExpectedMetric("process_start_time_seconds", "gauge"),),
    ),
)
FACTS = service_facts(
    env={"SHOP_METRICS": "on", "MODE": "eu west"},
    secrets={"PAY_KEY": SecretMount("pay-key", "3")},
    resources={"cpu": "1", "memory": "512Mi", "timeout_seconds": "60", "max_instances": "3"},
)


def load(tmp_path, text):
    path = tmp_path / "contract.yaml"
    path.write_text(text)
    return load_contract(path)


def test_what_was_read_loads_as_it_is(tmp_path):
    draft = draft_contract(
        service="shop",
        sources=["http://svc", "the Cloud Run service shop"],
        health=HealthSeen("/healthz", 200, "text/plain", "^ok$"),
        metrics=METRICS,
        facts=FACTS,
        tree=NO_TREE,
    )
    assert draft.placeholders == ["sandbox.command"]
    text = draft.text.replace(
        '"<FILL IN: the command that starts your service on $PORT, such as python -m app>"', "x"
    )
    contract = load(tmp_path, text)
    assert (contract.health.content_type, contract.health.body_pattern) == ("text/plain", "^ok$")
    assert contract.metrics.path == "/internal/metrics"
    assert (contract.metrics.enable_env, contract.metrics.enable_value) == ("SHOP_METRICS", "on")
    assert contract.metrics.expected == METRICS.expected  # the runtime's are commented out
    assert "    # - {name: process_start_time_seconds, type: gauge}" in text
    assert contract.revision.secrets == (SecretRef("PAY_KEY", "pay-key", "3"),)
    assert contract.revision.traffic_percent == 90
    assert dict(contract.revision.resources) == {
        "cpu": "1",
        "memory": "512Mi",
        "timeout_seconds": "60",
        "max_instances": "3",
    }
    assert (contract.analysis, contract.cache) == (None, None)  # commented-out examples
    assert contract.sandbox.service == "shop"


def test_nothing_read_is_placeholders_and_examples(tmp_path):
    draft = draft_contract(
        service="svc",
        sources=["nothing it could read"],
        health="GET http://svc/h -> no answer within 10 s",
        metrics=MetricsSeen("/metrics", "http://svc/metrics", problem="status 404: ..."),
        facts=AdminApiError("service svc not found", "check the name"),
        tree=NO_TREE,
    )
    assert draft.placeholders == ["health.path", "metrics.path", "sandbox.command"]
    assert "health:  # GET http://svc/h -> no answer within 10 s" in draft.text
    assert "revision:" in draft.text and "(service svc not found)" in draft.text
    with pytest.raises(ConfigError, match=r"health\.path: '<FILL IN"):
        load(tmp_path, draft.text)


def test_a_server_command_names_its_app_and_folder(tmp_path):
    (tmp_path / "src").mkdir()
    cmd = Instruction(
        "CMD", 9, "shell", ("exec", "uvicorn", "--app-dir", "src", "api.main:app"), ""
    )
    tree = TreeSeen(
        tmp_path,
        Dockerfile("Dockerfile", True, cmd=cmd),
        Requirements("requirements.txt", True, (Requirement("fastapi", "", 1, "fastapi"),)),
        True,
    )
    draft = draft_contract(
        service="api", sources=["the Dockerfile"], health=None, metrics=None, facts=None, tree=tree
    )
    contract = load(
        tmp_path, draft.text.replace('"<FILL IN: the health path, such as /healthz>"', "/h")
    )
    rules = contract.preflight
    assert (rules.command, rules.app_dir, rules.app) == ("uvicorn", "src", "api.main:app")
    assert rules.required_paths == ("Dockerfile", "requirements.txt", "src/")
    assert rules.requirements == ()  # prometheus-client is not listed: nothing is asked
    assert contract.sandbox.command == ""  # the Dockerfile's


def test_env_yaml_holds_the_revisions_plain_variables_quoted(tmp_path):
    text = draft_env(FACTS, tmp_path / "env.yaml")
    assert text.splitlines()[-2:] == ['SHOP_METRICS: "on"', 'MODE: "eu west"']
    assert "pay-key" not in text and "PAY_KEY" not in text
