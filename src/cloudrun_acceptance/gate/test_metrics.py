"""Are the Prometheus metrics switched on and complete? (`curl /api/metrics | grep TYPE`)"""

from __future__ import annotations

import pytest

from cloudrun_acceptance.judges import (
    judge_coverage,
    judge_enabled,
    judge_lint,
    judge_presence,
)

pytestmark = pytest.mark.gate_stage(20)


def test_metrics_enabled(gate, metrics_scrape, metrics_rules, target):
    gate.expect(judge_enabled(scrape=metrics_scrape, rules=metrics_rules, service=target.ref))


def test_metric_is_exposed_with_its_type(gate, exposition, expected_metric):
    gate.expect(judge_presence(snapshot=exposition, expected=expected_metric))


def test_enough_contract_metrics_are_present(gate, exposition, metrics_rules):
    gate.expect(judge_coverage(snapshot=exposition, rules=metrics_rules))


def test_exposition_passes_lint(gate, exposition, metrics_rules):
    gate.expect(judge_lint(snapshot=exposition, rules=metrics_rules))
