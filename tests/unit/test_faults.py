"""Fault profiles are small, named and each one changes the sandbox."""

from __future__ import annotations

from cloudrun_acceptance.sandbox import FAULTS, Behaviour, behaviour_for


def test_every_fault_changes_the_behaviour():
    for name, fault in FAULTS.items():
        assert behaviour_for([name]) != Behaviour(), name
        assert fault.summary and fault.name == name


def test_faults_compose_and_env_changes_merge():
    behaviour = behaviour_for(["env_drift", "env_missing", "metrics_html"])
    assert behaviour.env_changes == {"CONCEPT_RECALL_METRICS_ENABLED": "1", "AUTH_DEV_MODE": None}
    assert behaviour.metrics == "html"
