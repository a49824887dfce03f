"""The fixtures of the pre-flight checks: the source tree at --preflight, read once."""

from __future__ import annotations

import pytest

from ..model.contract import Contract, PreflightRules
from ..model.preflight import SourceTree
from .state import GateState


@pytest.fixture(scope="session")
def preflight_rules(contract: Contract) -> PreflightRules:
    """The contract's preflight section (its defaults when it has none)."""
    return contract.preflight


@pytest.fixture(scope="session")
def source_tree(gate_state: GateState, preflight_rules: PreflightRules) -> SourceTree:
    """The service's source tree at --preflight, read once: Dockerfile, upload set,
    requirements, env.yaml."""
    root = gate_state.settings.preflight
    if root is None:
        pytest.skip("pre-flight: give --preflight=PATH, the service's source tree, to run it")
    if not root.is_dir():
        pytest.fail(
            f"not checked: --preflight={root} is not a folder; give the service's source tree",
            pytrace=False,
        )
    # Imported here: the pre-flight's parsers are not loaded by a run that has no --preflight.
    from ..preflight.tree import read_tree

    return read_tree(
        root, required_paths=preflight_rules.required_paths, env_file=preflight_rules.env_file
    )


@pytest.fixture(scope="session")
def gate_env(gate_state: GateState) -> dict[str, str] | None:
    """The gate's own --env-file when it exists, to compare the source tree's env.yaml with."""
    return gate_state.expected_env if gate_state.settings.env_file.is_file() else None
