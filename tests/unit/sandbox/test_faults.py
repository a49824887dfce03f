"""Fault profiles are small, named and each one changes the sandbox."""

from __future__ import annotations

from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.sandbox import FAULTS, Behaviour, behaviour_for
from cloudrun_acceptance.sandbox.service import SLOW_METRICS_SECONDS
from tests.paths import SHIPPED_CONTRACT


def test_every_fault_changes_the_behaviour():
    for name, fault in FAULTS.items():
        assert behaviour_for([name]) != Behaviour(), name
        assert fault.summary and fault.name == name


def test_faults_compose_and_env_changes_merge():
    behaviour = behaviour_for(["env_drift", "env_missing", "metrics_html"])
    assert behaviour.env_changes == {"CONCEPT_RECALL_METRICS_ENABLED": "1", "AUTH_DEV_MODE": None}
    assert behaviour.metrics == "html"


def test_slow_metrics_outlast_the_shipped_contracts_request_timeout():
    shipped = load_contract(SHIPPED_CONTRACT)
    # Else the profile would be a slow deployment that passes, not a broken one.
    assert shipped.http_timeout < SLOW_METRICS_SECONDS
