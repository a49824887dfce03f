"""The users' read of concepts: 10 ms in the candidate flow (times the revision's slowdowns);
its errors evenly spaced, and only from the share of the traffic the profile names."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.sandbox.faults.profiles import behaviour_for
from cloudrun_acceptance.sandbox.reference.concepts import CONCEPTS, UserErrors, recall
from cloudrun_acceptance.sandbox.reference.servicetimes import concepts_seconds, service_times


@pytest.mark.parametrize(
    ("faults", "seconds"),
    [
        ((), 0.0),
        (("tagged_candidate",), 0.010),
        (("rollout_candidate",), 0.010),
        (("step_slow",), 0.015),
        (("candidate_slower",), 0.014),
    ],
)
def test_the_read_takes_10_ms_in_the_candidate_flow_times_the_slowdowns(faults, seconds):
    assert concepts_seconds(behaviour_for(faults)) == pytest.approx(seconds)


def test_a_slower_users_path_leaves_the_gates_paths_as_fast():
    assert service_times(behaviour_for(["step_slow"]), 1.0) == service_times(
        behaviour_for(["rollout_candidate"]), 1.0
    )


def test_errors_are_every_33rd_answer_once_the_share_is_reached():
    fails = UserErrors(0.03, 25)
    assert not any(fails(share) for share in (0, 5, 10, 24) for _ in range(100))
    answers = [fails(50) for _ in range(330)]
    assert answers.count(True) == 10
    assert [index for index, failed in enumerate(answers) if failed][:2] == [32, 65]


def test_no_rate_no_errors_and_no_threshold_errs_at_any_share():
    assert not any(UserErrors(0.0, 0)(100) for _ in range(100))
    always = UserErrors(0.5, 0)
    assert [always(0) for _ in range(4)] == [False, True, False, True]


def test_recall_finds_the_concepts_holding_the_query():
    assert recall("SWARM") == ["swarm intelligence"]
    assert recall("") == list(CONCEPTS)
    assert recall("nothing like it") == []
