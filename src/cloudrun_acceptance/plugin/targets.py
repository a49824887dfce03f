"""The run's targets: one, or one service in several regions, checked all or none.

Each target has a ``GateState`` of its own (its address, Admin API read, service client, logs
and record); they share the settings, the contract and env.yaml. The first is the run's state
(``config.stash``); the checks are parametrized by target at collection (``pytest_generate_tests``
below), grouped target by target, so that the session fixtures are built once per target.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from ..config.settings import Settings, target_from_settings
from ..model.target import Target

if TYPE_CHECKING:
    from ..sandbox.launcher import Sandbox
    from .state import GateState


def targets_from_settings(settings: Settings) -> list[Target]:
    """The targets the settings name: the first, then one per further region."""
    first = target_from_settings(settings)
    more = [
        replace(first, region=ref.region, service=ref.service) for ref in settings.service_refs[1:]
    ]
    return [first, *more]


def sandbox_target(settings: Settings, sandbox: Sandbox, run_id: str | None = None) -> Target:
    """The target a running sandbox is (with --tag, the URL is the tag's, as the Admin API
    reports it)."""
    deployment = sandbox.deployment
    target = Target(
        url=None if settings.tag else sandbox.service_url,
        url_origin="--sandbox",
        project=deployment.project,
        region=deployment.region,
        service=deployment.service,
        revision=settings.revision,
        revision_origin=settings.origins.get("revision", ""),
        tag=settings.tag,
        cloudrun_endpoint=sandbox.admin_endpoint,
        logging_endpoint=sandbox.logging_endpoint,
        monitoring_endpoint=sandbox.monitoring_endpoint,
        test_session=settings.test_session or sandbox.session_id,
        session_origin=settings.origins.get("test_session", "the sandbox's pre-seeded session"),
        sandbox_faults=settings.sandbox_faults,
        sandbox_service=sandbox.describe(),
    )
    return replace(target, run_id=run_id) if run_id else target


def target_key(target: Target, targets: list[Target]) -> str:
    """A target's name in test ids and reports: its region, or ``region-service`` when the
    targets' services differ."""
    services = {other.service for other in targets}
    region = target.region or "unknown-region"
    return region if len(services) == 1 else f"{region}-{target.service}"


def state_key(state: GateState) -> str:
    """The name of a state's target among the run's."""
    assert state.target is not None
    targets = [other.target for other in state.run_states() if other.target is not None]
    return target_key(state.target, targets)


def record_key(state: GateState) -> str:
    """A state's key among the run's records and release plans: its target's name in a run of
    several, "" in a run of one."""
    return state_key(state) if len(state.run_states()) > 1 else ""


def parametrize_targets(metafunc: pytest.Metafunc, primary: GateState) -> None:
    """A gate check of a run with several targets: one case per target (``gate_state``,
    indirectly, so that every session fixture is built per target)."""
    states = primary.run_states()
    if len(states) < 2 or "gate_state" not in metafunc.fixturenames:
        return
    metafunc.parametrize(
        "gate_state",
        states,
        ids=[state_key(state) for state in states],
        indirect=True,
        scope="session",
    )


def state_of_item(item: pytest.Item, primary: GateState) -> GateState:
    """The state of the target an item checks (the run's own in a run of one)."""
    callspec = getattr(item, "callspec", None)
    params = getattr(callspec, "params", {})
    state = params.get("gate_state")
    return state if state is not None else primary
