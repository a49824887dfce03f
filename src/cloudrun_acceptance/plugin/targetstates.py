"""The run's states, a target each: their keys, and the checks parametrized by them.

Each target has a ``TargetSession`` of its own (its address, Admin API read, service client, logs
and record); they share the settings, the contract and env.yaml. The first is the run's state
(``config.stash``); the checks are parametrized by target at collection (``parametrize_targets``,
from ``pytest_generate_tests``), grouped target by target, so that the session fixtures are
built once per target.
"""

from __future__ import annotations

import pytest

from .state import TargetSession
from .targets import target_key


def state_key(state: TargetSession) -> str:
    """The name of a state's target among the run's."""
    assert state.target is not None
    targets = [other.target for other in state.run_states() if other.target is not None]
    return target_key(state.target, targets)


def record_key(state: TargetSession) -> str:
    """A state's key among the run's records and release plans: its target's name in a run of
    several, "" in a run of one."""
    return state_key(state) if len(state.run_states()) > 1 else ""


def parametrize_targets(metafunc: pytest.Metafunc, primary: TargetSession) -> None:
    """A gate check of a run with several targets: one case per target (``_gate_state``,
    indirectly, so that every session fixture is built per target)."""
    states = primary.run_states()
    if len(states) < 2 or "_gate_state" not in metafunc.fixturenames:
        return
    metafunc.parametrize(
        "_gate_state",
        states,
        ids=[state_key(state) for state in states],
        indirect=True,
        scope="session",
    )


def state_of_item(item: pytest.Item, primary: TargetSession) -> TargetSession:
    """The state of the target an item checks (the run's own in a run of one)."""
    callspec = getattr(item, "callspec", None)
    params = getattr(callspec, "params", {})
    state = params.get("_gate_state")
    return state if state is not None else primary
