"""Is the candidate as good as the stable revision it replaces? (the contract's `compare:`)

The same requests sent to both revisions on one schedule, interleaved: latency per request
kind, errors, the metric families, the configuration. Only for a tagged candidate (--tag, the
candidate flow) and only with the contract's section: otherwise skipped, and nothing is sent.
"""

from __future__ import annotations

import pytest

from cloudrun_acceptance.judges import (
    compare_latency,
    diff_config,
    judge_baseline,
    judge_errors,
    judge_exposition,
    judge_latency,
)

pytestmark = pytest.mark.gate_stage(35)


def test_baseline_is_reachable(gate, baseline, deployment):
    gate.expect(
        judge_baseline(
            choice=baseline.choice,
            candidate=deployment.revision.name,
            added=baseline.added,
            error=baseline.error,
        )
    )


def test_candidate_latency_against_baseline(gate, compare_kind, paired_load, compare_rules):
    left_out = dict(paired_load.left_out)
    if compare_kind in left_out:
        pytest.skip(f"{compare_kind}: {left_out[compare_kind]}")
    comparison = compare_latency(kind=compare_kind, load=paired_load, rules=compare_rules)
    gate.expect(judge_latency(comparison=comparison, rules=compare_rules, load=paired_load))


def test_candidate_errors_against_baseline(gate, paired_load, compare_rules):
    gate.expect(judge_errors(load=paired_load, rules=compare_rules))


def test_candidate_keeps_the_baseline_metric_families(gate, compare_rules, compared_expositions):
    if not compare_rules.metrics:
        pytest.skip("compare.metrics is false: the expositions are not compared")
    baseline, candidate = compared_expositions
    for side, found in (("baseline", baseline), ("candidate", candidate)):
        if isinstance(found, str):
            pytest.fail(f"not checked: the {side}'s {found}", pytrace=False)
    gate.expect(judge_exposition(baseline=baseline, candidate=candidate))


def test_candidate_configuration_against_baseline(
    gate, compare_rules, baseline_revision, deployment, expected_env
):
    if not compare_rules.config:
        pytest.skip("compare.config is false: the configurations are not compared")
    gate.expect(
        diff_config(
            baseline=baseline_revision, candidate=deployment.revision, env_file=expected_env
        )
    )
