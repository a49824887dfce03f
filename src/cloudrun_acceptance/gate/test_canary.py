"""A canary phase whose split another engine set (--canary-phase, Cloud Deploy's verify job):
judged on its users' requests against the other revision's, as a rollout step, moving nothing."""

import pytest

pytestmark = pytest.mark.gate_stage(60)


def test_canary_phase_is_judged_on_its_users_requests(gate, canary_judgement):
    gate.expect(canary_judgement)
