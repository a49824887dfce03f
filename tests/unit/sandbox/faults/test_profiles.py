"""Fault profiles are small, named and each one changes the sandbox."""

from __future__ import annotations

from dataclasses import replace

from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.sandbox import FAULTS, Behaviour, behaviour_for
from cloudrun_acceptance.sandbox.faults.profiles import STABLE_ENV_CHANGES, stable_behaviour
from cloudrun_acceptance.sandbox.faults.regions import REGION_PROFILES, regions_for
from cloudrun_acceptance.sandbox.reference.service import SLOW_METRICS_SECONDS
from tests.paths import SHIPPED_CONTRACT


def test_every_fault_changes_the_behaviour_or_the_regions_deployed_in():
    for name, fault in FAULTS.items():
        if name in REGION_PROFILES:  # they change which sandboxes start, not one's behaviour
            # (but the project's read quota, which the regions' Logging APIs share)
            project = replace(Behaviour(), logging_reads_per_minute=0)
            assert regions_for([name]), name
            assert replace(behaviour_for([name]), logging_reads_per_minute=0) == project, name
        else:
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


COMPARISON = (
    "candidate_slower",
    "candidate_errors",
    "candidate_metric_lost",
    "candidate_config_changed",
    "compare_few_samples",
)


def test_the_comparison_profiles_are_the_candidate_flow_of_the_reference_service():
    for name in COMPARISON:
        assert behaviour_for([name]).flow == "candidate", name
        assert behaviour_for([name]).tag == "on_new", name
        assert FAULTS[name].scope == "reference", name


def test_the_stable_revision_is_a_good_one_with_only_its_own_changes_and_the_shared_load():
    candidate = behaviour_for(["candidate_slower", "candidate_errors", "env_drift", "private"])
    assert stable_behaviour(candidate) == Behaviour(flow="candidate")
    changed = behaviour_for(["candidate_config_changed"])
    assert stable_behaviour(changed).env_changes == STABLE_ENV_CHANGES
    assert changed.env_changes == {}  # the candidate runs env.yaml's
    assert "CONCEPT_RECALL_METRICS_ENABLED" not in STABLE_ENV_CHANGES
    assert stable_behaviour(behaviour_for(["compare_few_samples"])).overload_seconds == 0.5


NOISY = ("noisy_pair", "noisy_slower")


def test_the_noisy_profiles_are_the_candidate_flow_with_noise_on_both_revisions():
    for name in NOISY:
        candidate = behaviour_for([name])
        assert (candidate.flow, candidate.tag, FAULTS[name].scope) == (
            "candidate",
            "on_new",
            "reference",
        )
        assert (candidate.latency_noise_seconds, candidate.latency_noise_sigma) == (0.004, 0.8)
        assert stable_behaviour(candidate) == Behaviour(
            flow="candidate", latency_noise_seconds=0.004, latency_noise_sigma=0.8
        )
        assert (candidate.error_rate, candidate.user_rps) == (0.0, 0.0)
    # The slower candidate's own slowdown scales its noise; the stable revision's stays x1.
    assert behaviour_for(["noisy_pair"]).slowdown == 1.0
    assert behaviour_for(["noisy_slower"]).slowdown == 1.3
    assert "30% slower on the same noise" in FAULTS["noisy_slower"].summary
