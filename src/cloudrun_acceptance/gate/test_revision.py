"""Does the revision carry what was meant? (`gcloud run revisions describe ... | grep`)

Read from the Cloud Run Admin API; runs when the service is named (--project/--region/--service).
"""

from __future__ import annotations

import pytest

from cloudrun_acceptance.judges import (
    judge_admin_api,
    judge_env_var,
    judge_latest_ready,
    judge_ready,
    judge_resource,
    judge_secret,
    judge_settled,
    judge_traffic,
    judge_unexpected_env,
)

# Before the analysis (30): these read what the Admin API described, never the service, so they
# run during the forced analysis's wait instead of after its answer.
pytestmark = pytest.mark.gate_stage(25)


def test_admin_api_describes_the_service(gate, admin_lookup, target):
    gate.expect(judge_admin_api(lookup=admin_lookup, checked_url=target.url))


def test_service_has_reconciled(gate, deployment, gate_settings):
    gate.expect(judge_settled(facts=deployment, timeout=gate_settings.ready_timeout))


def test_latest_created_revision_is_ready(gate, deployment):
    gate.expect(judge_latest_ready(facts=deployment))


def test_revision_ready_condition_is_true(gate, deployment):
    gate.expect(judge_ready(facts=deployment))


def test_revision_serves_expected_traffic(gate, deployment, contract, gate_settings):
    canary = gate_settings.canary_phase
    gate.expect(judge_traffic(facts=deployment, rules=contract.revision, canary=canary))


def test_revision_env_var_matches_env_file(gate, deployment, expected_env, env_key, gate_settings):
    gate.expect(
        judge_env_var(
            facts=deployment,
            key=env_key,
            expected=expected_env,
            env_file=gate_settings.env_file,
        )
    )


def test_revision_has_no_unexpected_env_vars(gate, deployment, expected_env, contract):
    gate.expect(
        judge_unexpected_env(facts=deployment, expected=expected_env, rules=contract.revision)
    )


def test_secret_is_mounted_at_pinned_version(gate, deployment, expected_secret):
    gate.expect(judge_secret(facts=deployment, ref=expected_secret))


def test_revision_resource_matches_contract(gate, deployment, resource):
    key, expected = resource
    gate.expect(judge_resource(facts=deployment, key=key, expected=expected))
