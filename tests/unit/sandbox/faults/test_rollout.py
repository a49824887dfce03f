"""The rollout profiles: the candidate flow with users routed by the split; the candidate's
faults on the users' path only; the stable revision a good one; the platform's knobs read from
the candidate's behaviour."""

from __future__ import annotations

from dataclasses import replace

from cloudrun_acceptance.sandbox import FAULTS, Behaviour, behaviour_for
from cloudrun_acceptance.sandbox.faults.profiles import USER_RPS, stable_behaviour

ROLLOUT = (
    "rollout_candidate",
    "step_errors",
    "step_slow",
    "step_late_regression",
    "step_cold_start",
    "low_traffic",
)
BUSY = ("busy", "busy_late_regression", "busy_cold_start", "quiet")


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


def test_the_timed_profiles_change_only_when_the_candidates_users_are_slower():
    late, cold = behaviour_for(["step_late_regression"]), behaviour_for(["step_cold_start"])
    assert (late.late_user_slowdown, late.late_regression_after_seconds) == (1.5, 60.0)
    assert (late.user_slowdown, late.step_cold_start) == (1.0, False)
    assert (cold.step_cold_start, cold.step_cold_start_seconds) == (True, 10.0)
    assert (cold.user_slowdown, cold.late_user_slowdown) == (1.0, 1.0)
    for behaviour in (late, cold):
        assert behaviour.user_rps == USER_RPS and behaviour.split_routing
        assert (behaviour.error_rate, behaviour.slowdown, behaviour.user_error_rate) == (0, 1, 0)
        # Not the service's own cold start, which delays the whole sandbox's start.
        assert behaviour.cold_start_seconds == 0.0
    # Every other profile keeps the defaults: no late slowdown, no cold start on a rise.
    timed = {"step_late_regression", "step_cold_start", "busy_late_regression", "busy_cold_start"}
    for name in set(FAULTS) - timed:
        assert behaviour_for([name]).late_user_slowdown == 1.0, name
        assert not behaviour_for([name]).step_cold_start, name


def test_the_busy_profiles_simulate_their_users_and_send_none():
    rates = {name: behaviour_for([name]).simulated_rps for name in BUSY}
    assert rates == {
        "busy": 1000.0,
        "busy_late_regression": 5000.0,
        "busy_cold_start": 5000.0,
        "quiet": 1.0,
    }
    for name in BUSY:
        behaviour = behaviour_for([name])
        assert (behaviour.flow, behaviour.tag, behaviour.user_rps) == ("candidate", "on_new", 0)
        assert stable_behaviour(behaviour) == Behaviour(flow="candidate"), name
    late = behaviour_for(["busy_late_regression"])
    assert (late.late_user_slowdown, late.late_user_error_rate) == (1.5, 0.02)
    assert behaviour_for(["busy_cold_start"]).step_cold_start


def test_a_test_shortens_the_timed_profiles_delays_on_the_behaviour():
    late = replace(behaviour_for(["step_late_regression"]), late_regression_after_seconds=0.5)
    cold = replace(behaviour_for(["step_cold_start"]), step_cold_start_seconds=0.5)
    assert late.late_regression_after_seconds == cold.step_cold_start_seconds == 0.5
    assert "more than 60 s" in FAULTS["step_late_regression"].summary
    assert "in the next 10 s" in FAULTS["step_cold_start"].summary
