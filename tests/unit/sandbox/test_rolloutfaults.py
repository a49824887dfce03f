"""The rollout profiles: the candidate flow with users routed by the split; the candidate's
faults on the users' path only; the stable revision a good one; the platform's knobs read from
the candidate's behaviour."""

from __future__ import annotations

from cloudrun_acceptance.sandbox import FAULTS, Behaviour, behaviour_for
from cloudrun_acceptance.sandbox.faults import USER_RPS, stable_behaviour

ROLLOUT = ("rollout_candidate", "step_errors", "step_slow", "low_traffic")


def test_every_rollout_profile_is_a_tagged_candidate_with_users_routed_by_the_split():
    for name in ROLLOUT:
        behaviour = behaviour_for([name])
        assert (behaviour.flow, behaviour.tag) == ("candidate", "on_new"), name
        assert behaviour.split_routing, name
        assert FAULTS[name].scope == "reference", name
    assert {behaviour_for([name]).user_rps for name in ROLLOUT} == {USER_RPS, 2.0}
    assert USER_RPS == 150.0


def test_the_candidates_faults_are_on_the_users_path_only():
    errors, slow = behaviour_for(["step_errors"]), behaviour_for(["step_slow"])
    assert (errors.user_error_rate, errors.user_errors_from_share) == (0.03, 25)
    assert slow.user_slowdown == 1.5
    for behaviour in (errors, slow):
        assert (behaviour.error_rate, behaviour.slowdown) == (0.0, 1.0)


def test_the_stable_revision_is_a_good_one_and_the_platform_knobs_are_the_candidates():
    for name in ROLLOUT:
        assert stable_behaviour(behaviour_for([name])) == Behaviour(flow="candidate"), name


def test_a_lower_rate_composes_with_a_faulty_candidate_in_either_order():
    for names in (["low_traffic", "step_errors"], ["step_errors", "low_traffic"]):
        behaviour = behaviour_for(names)
        assert behaviour.user_rps == 2.0, names
        assert behaviour.user_error_rate == 0.03, names
