"""Collection rules: a target for gate checks, their order by stage, a timeout that fits, and
one test case per metric, env var, secret, resource and startup line of the contract."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from ..config.settings import TARGET_HELP
from .errors import usage_errors
from .state import STATE_KEY, GateState, state_of


def _is_gate_check(item: pytest.Item) -> bool:
    return "target" in getattr(item, "fixturenames", ())


PREFLIGHT_MODULE = "test_preflight"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The gate's pre-flight checks (test_preflight*.py among the gate's checks) are collected
    only with --preflight. A module of that name elsewhere is an ordinary test module: the
    plugin is loaded in every pytest run of its environment."""
    if not collection_path.name.startswith(PREFLIGHT_MODULE):
        return None
    state = config.stash.get(STATE_KEY, None)
    if state is None or state.settings.preflight is not None:
        return None
    where = collection_path.resolve()
    return True if any(where.is_relative_to(f) for f in _gate_folders(config, state)) else None


def _gate_folders(config: pytest.Config, state: GateState) -> list[Path]:
    """Where the gate's checks live: the ini file's testpaths, else the contract's folder."""
    testpaths = [str(entry) for entry in config.getini("testpaths")]
    if not testpaths:
        return [state.settings.contract.parent.resolve()]
    root = Path(config.rootpath)
    return [found.resolve() for entry in testpaths for found in root.glob(entry)]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Require a target for gate checks; order them by stage; give them a timeout that fits."""
    checks = [item for item in items if _is_gate_check(item)]
    if not checks:
        items.sort(key=_stage)
        return
    state = state_of(config)
    if state.target is None:
        if hasattr(config, "workerinput"):
            # xdist cannot carry a usage error from a worker: each check errors instead, with
            # the same message (from the target fixture).
            return
        if state.settings.preflight is not None:
            # The pre-flight alone: the checks of a deployed revision have nothing to check.
            config.hook.pytest_deselected(items=checks)
            items[:] = sorted((item for item in items if item not in checks), key=_stage)
            if state.record is not None:  # not deselected by the user: the report says why
                out = {item.nodeid for item in checks}
                state.record.deselected = [n for n in state.record.deselected if n not in out]
            return
        raise pytest.UsageError(f"no service to check: {TARGET_HELP}")
    items.sort(key=lambda item: _stage(item) if _is_gate_check(item) else 0)
    needed = _timeout_needed(state)
    floor = _configured_timeout(config)
    for item in checks:
        if item.get_closest_marker("timeout") is None and needed > floor:
            item.add_marker(pytest.mark.timeout(needed))


def _stage(item: pytest.Item) -> int:
    marker = item.get_closest_marker("gate_stage")
    return int(marker.args[0]) if marker and marker.args else 50


# Above the gate's worst case, so that pytest-timeout is a backstop its deadlines never reach.
BACKSTOP_MARGIN_SECONDS = 60.0


def _timeout_needed(state: GateState) -> float:
    """A backstop that never cuts a check short of its own deadlines (they come first): the
    first check to need a session fixture may wait out every stage before it."""
    return state.budget().total + BACKSTOP_MARGIN_SECONDS


def _configured_timeout(config: pytest.Config) -> float:
    for raw in (
        config.getoption("timeout", None),
        os.environ.get("PYTEST_TIMEOUT"),
        config.getini("timeout"),
    ):
        try:
            return float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
    return 0.0


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test case per metric, env var, secret and resource of the contract and env.yaml."""
    with usage_errors():
        _parametrize(metafunc)


def _parametrize(metafunc: pytest.Metafunc) -> None:
    names = metafunc.fixturenames
    wanted = {"expected_metric", "env_key", "expected_secret", "resource", "startup_line"}
    if not (wanted | {"requirement"}) & set(names):
        return
    state = state_of(metafunc.config)
    rules = state.contract
    if "requirement" in names:
        required = rules.preflight.requirements
        metafunc.parametrize("requirement", required, ids=list(required))
    if "expected_metric" in names:
        metrics = rules.metrics.expected if rules.metrics else ()
        metafunc.parametrize("expected_metric", metrics, ids=[metric.name for metric in metrics])
    if "env_key" in names:
        keys = list(_env_keys(state))
        metafunc.parametrize("env_key", keys, ids=keys)
    if "expected_secret" in names:
        secrets = rules.revision.secrets
        metafunc.parametrize("expected_secret", secrets, ids=[ref.env for ref in secrets])
    if "resource" in names:
        resources = list(rules.revision.resources.items())
        metafunc.parametrize("resource", resources, ids=[key for key, _ in resources])
    if "startup_line" in names:
        lines = rules.logs.startup_lines
        metafunc.parametrize(
            "startup_line", lines, ids=[re.sub(r"\\(.)", r"\1", line) for line in lines]
        )


def _env_keys(state: GateState) -> list[str]:
    """The keys of env.yaml. A run that cannot read a revision may lack the default env.yaml."""
    settings = state.settings
    no_revision = state.target is None or state.target.ref is None
    if (
        no_revision
        and settings.origins.get("env_file") == "default"
        and not settings.env_file.exists()
    ):
        return []
    return list(state.expected_env)
