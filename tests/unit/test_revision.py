"""Revision judgements and the helpers that read the Admin API's answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudrun_acceptance.checks.revision import (
    judge_env_var,
    judge_resource,
    judge_secret,
    judge_traffic,
    judge_unexpected_env,
)
from cloudrun_acceptance.cloudrun import (
    RevisionFacts,
    SecretMount,
    ServiceFacts,
    TrafficRow,
    same_quantity,
    secret_name,
    short_name,
)
from cloudrun_acceptance.contract import RevisionRules, SecretRef
from cloudrun_acceptance.settings import ServiceRef


def facts(**revision) -> ServiceFacts:
    defaults = {
        "name": "svc-00002-abc",
        "env": {"A": "true", "TOKENISH": "s3cr3t-value"},
        "secrets": {"KEY": SecretMount("KEY", "5")},
        "resources": {"cpu": "2000m", "memory": "4096Mi", "timeout_seconds": "600"},
    }
    return ServiceFacts(
        ref=ServiceRef("p", "r", "svc"),
        uri="https://svc.run.app",
        urls=(),
        latest_ready="svc-00002-abc",
        latest_created="svc-00002-abc",
        traffic=(
            TrafficRow("svc-00002-abc", 90, latest=True),
            TrafficRow("svc-00001-xyz", 10, tag="old"),
        ),
        revision=RevisionFacts(**{**defaults, **revision}),
    )


@pytest.mark.parametrize(
    ("expected", "actual", "same"),
    [
        ("2", "2000m", True),
        ("4Gi", "4096Mi", True),
        ("4Gi", "4G", False),
        ("1", "1", True),
        ("2", "two", False),
    ],
)
def test_quantities_compare_by_value(expected, actual, same):
    assert same_quantity(expected, actual) is same


def test_names_of_resources():
    assert short_name("projects/p/locations/r/services/s/revisions/s-0001") == "s-0001"
    assert secret_name("projects/123/secrets/OPENAI_API_KEY") == "OPENAI_API_KEY"
    assert secret_name("projects/123/secrets/OPENAI_API_KEY/versions/5") == "OPENAI_API_KEY"
    assert secret_name("OPENAI_API_KEY") == "OPENAI_API_KEY"


def test_traffic_counts_the_checked_revisions_share():
    verdict = judge_traffic(facts(), RevisionRules(traffic_percent=100))
    assert verdict.status == "failed"
    assert verdict.evidence == (
        "traffic:",
        "   90% -> svc-00002-abc (LATEST)",
        "   10% -> svc-00001-xyz tag=old",
    )
    assert judge_traffic(facts(), RevisionRules(traffic_percent=90)).status == "passed"


def test_env_var_from_a_secret_is_not_the_plain_value():
    verdict = judge_env_var(facts(), "KEY", {"KEY": "x"}, Path("env.yaml"))
    assert (
        verdict.summary
        == "KEY comes from secret KEY:5 on svc-00002-abc; env.yaml expects the plain value 'x'"
    )


def test_unexpected_env_vars_are_named_but_their_values_never_shown():
    verdict = judge_unexpected_env(facts(), {"A": "true"}, RevisionRules(unexpected_env="fail"))
    assert verdict.status == "failed"
    assert "TOKENISH" in verdict.message
    assert "s3cr3t" not in verdict.message
    assert judge_unexpected_env(facts(), {"A": "true"}, RevisionRules()).status == "passed"


def test_secret_at_latest_is_flagged_when_a_version_is_pinned():
    verdict = judge_secret(
        facts(secrets={"KEY": SecretMount("KEY", "latest")}), SecretRef("KEY", "KEY", "5")
    )
    assert verdict.status == "failed"
    assert "'latest' changes under a running revision" in verdict.summary


def test_secret_as_plain_env_var_fails_without_showing_it():
    verdict = judge_secret(facts(secrets={}), SecretRef("TOKENISH", "TOKENISH", "5"))
    assert (
        verdict.summary
        == "TOKENISH is a plain env var on svc-00002-abc, expected secret TOKENISH:5"
    )
    assert "s3cr3t" not in verdict.message


def test_resources_compare_as_quantities():
    assert judge_resource(facts(), "cpu", "2").status == "passed"
    assert judge_resource(facts(), "memory", "4Gi").status == "passed"
    failing = judge_resource(facts(), "max_instances", "10")
    assert failing.summary == "max_instances is not set on svc-00002-abc, the contract says 10"
    assert failing.advice.startswith("deploy with --max-instances=10")
