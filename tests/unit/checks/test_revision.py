"""The revision judgements: traffic, env, secrets (never their values), resources."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from cloudrun_acceptance.checks.revision import (
    judge_env_var,
    judge_resource,
    judge_secret,
    judge_settled,
    judge_traffic,
    judge_unexpected_env,
)
from cloudrun_acceptance.model.contract import RevisionRules, SecretRef
from cloudrun_acceptance.model.service import (
    SecretMount,
    TrafficRow,
)
from tests.unit.builders import service_facts


def test_traffic_counts_the_checked_revisions_share():
    verdict = judge_traffic(facts=service_facts(), rules=RevisionRules(traffic_percent=100))
    assert verdict.status == "failed"
    assert verdict.evidence == (
        "traffic:",
        "   90% -> svc-00002-abc (LATEST)",
        "   10% -> svc-00001-xyz tag=old",
    )
    assert (
        judge_traffic(facts=service_facts(), rules=RevisionRules(traffic_percent=90)).status
        == "passed"
    )


def test_env_var_from_a_secret_is_not_the_plain_value():
    verdict = judge_env_var(
        facts=service_facts(), key="KEY", expected={"KEY": "x"}, env_file=Path("env.yaml")
    )
    assert (
        verdict.summary
        == "KEY comes from secret KEY:5 on svc-00002-abc; env.yaml expects the plain value 'x'"
    )


def test_unexpected_env_vars_are_named_but_their_values_never_shown():
    verdict = judge_unexpected_env(
        facts=service_facts(), expected={"A": "true"}, rules=RevisionRules(unexpected_env="fail")
    )
    assert verdict.status == "failed"
    assert "TOKENISH" in verdict.message
    assert "s3cr3t" not in verdict.message
    assert (
        judge_unexpected_env(
            facts=service_facts(), expected={"A": "true"}, rules=RevisionRules()
        ).status
        == "passed"
    )


def test_secret_at_latest_is_flagged_when_a_version_is_pinned():
    verdict = judge_secret(
        facts=service_facts(secrets={"KEY": SecretMount("KEY", "latest")}),
        ref=SecretRef("KEY", "KEY", "5"),
    )
    assert verdict.status == "failed"
    assert "'latest' changes under a running revision" in verdict.summary


def test_secret_as_plain_env_var_fails_without_showing_it():
    verdict = judge_secret(
        facts=service_facts(secrets={}), ref=SecretRef("TOKENISH", "TOKENISH", "5")
    )
    assert (
        verdict.summary
        == "TOKENISH is a plain env var on svc-00002-abc, expected secret TOKENISH:5"
    )
    assert "s3cr3t" not in verdict.message


def test_resources_compare_as_quantities():
    assert judge_resource(facts=service_facts(), key="cpu", expected="2").status == "passed"
    assert judge_resource(facts=service_facts(), key="memory", expected="4Gi").status == "passed"
    failing = judge_resource(facts=service_facts(), key="max_instances", expected="10")
    assert failing.summary == "max_instances is not set on svc-00002-abc, the contract says 10"
    assert failing.advice.startswith("deploy with --max-instances=10")


def test_a_settled_deploy_passes_and_one_still_reconciling_says_so():
    settled = replace(service_facts(ready=True), generation=4, observed_generation=4, waited=2.0)
    verdict = judge_settled(facts=settled, timeout=60)
    assert verdict.status == "passed"
    assert verdict.summary == (
        "the service has reconciled (generation 4, observed 4) and svc-00002-abc is Ready; "
        "waited 2.0 s"
    )
    stuck = replace(settled, observed_generation=3, reconciling=True, waited=60.0)
    failing = judge_settled(facts=stuck, timeout=60)
    assert failing.summary == (
        "the service is still reconciling after 60.0 s (generation 4, observed 3, reconciling)"
    )
    assert "raise --ready-timeout (now 60 s)" in failing.advice
    undecided = replace(settled, revision=replace(settled.revision, ready=None))
    assert judge_settled(facts=undecided, timeout=60).summary.endswith(
        "; svc-00002-abc is not Ready yet)"
    )


def test_a_tagged_candidate_carries_the_tag_and_its_share_is_only_reported():
    candidate = replace(
        service_facts(
            traffic=[TrafficRow("svc-00001-xyz", 100), TrafficRow("svc-00002-abc", 0, tag="c")]
        ),
        tag="c",
        tag_url="https://c---svc.run.app",
    )
    verdict = judge_traffic(facts=candidate, rules=RevisionRules(traffic_percent=100))
    assert verdict.status == "passed"
    assert verdict.summary == (
        "svc-00002-abc carries the traffic tag 'c' (https://c---svc.run.app) and serves 0% of "
        "traffic before promotion (reported, not judged; the contract's share is 100%)"
    )
