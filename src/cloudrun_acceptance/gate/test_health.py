"""Is the revision serving? (the runbook's `curl /api/health`: 200 with JSON, by default)"""

from __future__ import annotations

import pytest

from cloudrun_acceptance.judges import judge_health

pytestmark = pytest.mark.gate_stage(10)


def test_health_answers(gate, readiness, contract, target):
    gate.expect(judge_health(readiness=readiness, rules=contract.health, service=target.ref))
