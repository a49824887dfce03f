"""The rollout in steps on real traffic (--rollout): one check per step.

Each step sets the candidate's share, bakes, and judges the users' requests of its window in
Cloud Run's request logs against the stable revision's; a failed step sends all traffic back.
"""

import pytest

pytestmark = pytest.mark.gate_stage(70)


def test_rollout_step(gate, rollout, rollout_step):
    stopped = rollout.not_reached(rollout_step)
    if stopped:
        pytest.skip(f"not reached: {stopped}")
    gate.expect(rollout.run(rollout_step))
