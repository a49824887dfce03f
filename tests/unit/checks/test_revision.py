"""The revision judgements: traffic, env, secrets (never their values), resources."""

from __future__ import annotations

from pathlib import Path

from cloudrun_acceptance.checks.revision import (
    judge_env_var,
    judge_resource,
    judge_secret,
    judge_traffic,
    judge_unexpected_env,
)
from cloudrun_acceptance.model.contract import RevisionRules, SecretRef
from cloudrun_acceptance.model.service import (
    SecretMount,
)
from tests.unit.builders import service_facts


def test_traffic_counts_the_checked_revisions_share():
    verdict = judge_traffic(service_facts(), RevisionRules(traffic_percent=100))
    assert verdict.status == "failed"
    assert verdict.evidence == (
        "traffic:",
        "   90% -> svc-00002-abc (LATEST)",
        "   10% -> svc-00001-xyz tag=old",
    )
    assert judge_traffic(service_facts(), RevisionRules(traffic_percent=90)).status == "passed"


def test_env_var_from_a_secret_is_not_the_plain_value():
    verdict = judge_env_var(service_facts(), "KEY", {"KEY": "x"}, Path("env.yaml"))
    assert (
        verdict.summary
        == "KEY comes from secret KEY:5 on svc-00002-abc; env.yaml expects the plain value 'x'"
    )


def test_unexpected_env_vars_are_named_but_their_values_never_shown():
    verdict = judge_unexpected_env(
        service_facts(), {"A": "true"}, RevisionRules(unexpected_env="fail")
    )
    assert verdict.status == "failed"
    assert "TOKENISH" in verdict.message
    assert "s3cr3t" not in verdict.message
    assert judge_unexpected_env(service_facts(), {"A": "true"}, RevisionRules()).status == "passed"


def test_secret_at_latest_is_flagged_when_a_version_is_pinned():
    verdict = judge_secret(
        service_facts(secrets={"KEY": SecretMount("KEY", "latest")}), SecretRef("KEY", "KEY", "5")
    )
    assert verdict.status == "failed"
    assert "'latest' changes under a running revision" in verdict.summary


def test_secret_as_plain_env_var_fails_without_showing_it():
    verdict = judge_secret(service_facts(secrets={}), SecretRef("TOKENISH", "TOKENISH", "5"))
    assert (
        verdict.summary
        == "TOKENISH is a plain env var on svc-00002-abc, expected secret TOKENISH:5"
    )
    assert "s3cr3t" not in verdict.message


def test_resources_compare_as_quantities():
    assert judge_resource(service_facts(), "cpu", "2").status == "passed"
    assert judge_resource(service_facts(), "memory", "4Gi").status == "passed"
    failing = judge_resource(service_facts(), "max_instances", "10")
    assert failing.summary == "max_instances is not set on svc-00002-abc, the contract says 10"
    assert failing.advice.startswith("deploy with --max-instances=10")
