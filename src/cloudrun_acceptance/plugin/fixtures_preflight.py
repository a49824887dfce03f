"""The fixtures of the pre-flight checks: the source tree at --preflight, read once.

PYTEST_DONT_REWRITE: a module of the plugin's ``pytest_plugins``, which plugin/hooks.py may
import before pytest registers it; it holds no test's assertion, and the marker keeps
pytest 8 from warning that it could not rewrite one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ..config.envfile import read_env_entries
from ..model.contract import Contract, PreflightRules
from .state import TargetSession

if TYPE_CHECKING:  # loaded with the tree's reader, by --preflight runs only
    from ..model.preflight import SourceTree


@pytest.fixture(scope="session")
def preflight_rules(contract: Contract) -> PreflightRules:
    """The contract's preflight section (its defaults when it has none)."""
    return contract.preflight


@pytest.fixture(scope="session")
def source_tree(_gate_state: TargetSession, preflight_rules: PreflightRules) -> SourceTree:
    """The service's source tree at --preflight, read once: Dockerfile, upload set,
    requirements, env.yaml."""
    root = _gate_state.settings.preflight
    if root is None:
        pytest.skip("pre-flight: give --preflight=PATH, the service's source tree, to run it")
    if not root.is_dir():
        pytest.fail(
            f"not checked: --preflight={root} is not a folder; give the service's source tree",
            pytrace=False,
        )
    # Imported here: the pre-flight's parsers are not loaded by a run that has no --preflight.
    from ..preflight.tree import read_tree

    env = read_env_entries(root / preflight_rules.env_file)
    return read_tree(root, required_paths=preflight_rules.required_paths, env=env)


@pytest.fixture(scope="session")
def gate_env(_gate_state: TargetSession) -> dict[str, str] | None:
    """The gate's own --env-file when it exists, to compare the source tree's env.yaml with."""
    if _gate_state.env_problem is not None or not _gate_state.settings.env_file.is_file():
        return None
    return _gate_state.expected_env


@pytest.fixture(scope="session")
def gate_env_problem(_gate_state: TargetSession, source_tree: SourceTree) -> str:
    """Why the gate's own --env-file could not be read, when it is not the source tree's
    env.yaml (whose problems the env check finds itself); "" when it could."""
    problem = _gate_state.env_problem
    own = source_tree.root / source_tree.env.name
    if problem is None or _gate_state.settings.env_file.resolve() == own.resolve():
        return ""
    return problem
