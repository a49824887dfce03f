"""Collection rules: a target for gate checks, their order by stage, a timeout that fits, and
one test case per metric, env var, secret, resource and startup line of the contract.

PYTEST_DONT_REWRITE: a module of the plugin's ``pytest_plugins``, which plugin/hooks.py may
import before pytest registers it; it holds no test's assertion, and the marker keeps
pytest 8 from warning that it could not rewrite one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

import pytest

from ..config.settings import TARGET_HELP
from ..model.errors import ConfigError
from ..report.reporter import TARGET_PROPERTY
from .errors import usage_errors
from .records import record_of
from .state import TargetSession, state_of
from .targetstates import parametrize_targets, state_key, state_of_item


def is_gate_check(item: pytest.Item) -> bool:
    return "target" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Require a target for gate checks; order them by stage; give them a timeout that fits."""
    checks = [item for item in items if is_gate_check(item)]
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
            record = record_of(config, state)
            if record is not None:  # not deselected by the user: the report says why
                out = {item.nodeid for item in checks}
                record.deselected = [n for n in record.deselected if n not in out]
            return
        if config.option.showfixtures or config.option.show_fixtures_per_test:
            return  # listing the fixtures checks nothing, and needs no service
        raise pytest.UsageError(f"no service to check: {TARGET_HELP}")
    states = state.run_states()
    items.sort(key=lambda item: _order(item, state, states))
    for each in states:
        each.note_logs_wanted(
            any(
                "_logs_stage" in getattr(item, "fixturenames", ())
                for item in checks
                if state_of_item(item, state) is each
            )
        )
    if len(states) > 1:
        for item in checks:
            item.user_properties.append((TARGET_PROPERTY, state_key(state_of_item(item, state))))
    needed = _timeout_needed(state)
    floor = _configured_timeout(config)
    for item in checks:
        if item.get_closest_marker("timeout") is None and needed > floor:
            item.add_marker(pytest.mark.timeout(needed))


def _order(
    item: pytest.Item, primary: TargetSession, states: list[TargetSession]
) -> tuple[int, ...]:
    """Target by target (each target's session fixtures are built once), then by stage; the
    rollout's steps last, step by step across the targets (they move together)."""
    if not is_gate_check(item):
        return (0, 0, 0, 0)
    index = states.index(state_of_item(item, primary))
    params = getattr(getattr(item, "callspec", None), "params", {})
    share = params.get("rollout_step")
    if isinstance(share, int) and len(states) > 1:
        return (len(states), _stage(item), share, index)
    return (index, _stage(item), 0, 0)


def _stage(item: pytest.Item) -> int:
    marker = item.get_closest_marker("gate_stage")
    return int(marker.args[0]) if marker and marker.args else 50


# Above the gate's worst case, so that pytest-timeout is a backstop its deadlines never reach.
BACKSTOP_MARGIN_SECONDS = 60.0


def _timeout_needed(state: TargetSession) -> float:
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
    """One test case per metric, env var, secret and resource of the contract and env.yaml.

    A run with a target or --preflight read its contract and env.yaml before collection (a bad
    one was a usage error there). A run with neither reads them here only to name the cases:
    one that cannot is given no cases, since collection stops with "no service to check"
    anyway (a usage error raised here would be a collection error, with a traceback).
    """
    state = state_of(metafunc.config)
    try:
        _parametrize(metafunc, state)
    except ConfigError:
        if state.settings.target_requested or state.settings.preflight is not None:
            with usage_errors():  # read before collection already: not expected here
                raise
        for name in CASES:
            if name in metafunc.fixturenames:
                _cases(metafunc, name, [], [], "the contract could not be read")
    parametrize_targets(metafunc, state)


# Each parametrized fixture, and what an empty set of its cases means in the report.
CASES = {
    "requirement": "the contract names no requirements (preflight.requirements)",
    "expected_metric": "the contract names no metrics (metrics.expected)",
    "env_key": "env.yaml names no variables",
    "expected_secret": "the contract names no secrets (revision.secrets)",
    "resource": "the contract names no resources (revision.resources)",
    "startup_line": "the contract names no startup lines (logs.startup_lines)",
    "compare_kind": "the comparison was not asked for: the contract has no compare: section",
    "rollout_step": "the rollout was not asked for: give --rollout (with --tag, the candidate)",
}


def _parametrize(metafunc: pytest.Metafunc, state: TargetSession) -> None:
    names = metafunc.fixturenames
    # Only the gate's checks (every gate fixture comes from _gate_state): a test elsewhere with
    # an argument named `resource` or `requirement` is none of the gate's business.
    if "_gate_state" not in names or not set(CASES) & set(names):
        return
    # Every value first, so that a contract or env.yaml that cannot be read parametrizes none.
    wanted = [name for name in CASES if name in names]
    cases = {name: _values(name, state) for name in wanted}
    for name, (values, ids) in cases.items():
        _cases(metafunc, name, values, ids)


def _values(name: str, state: TargetSession) -> tuple[Sequence[object], list[str]]:
    """The cases of one parametrized fixture, and their ids."""
    rules = state.contract
    if name == "requirement":
        return rules.preflight.requirements, list(rules.preflight.requirements)
    if name == "expected_metric":
        metrics = rules.metrics.expected if rules.metrics else ()
        return metrics, [metric.name for metric in metrics]
    if name == "env_key":
        return state.env_keys, state.env_keys
    if name == "expected_secret":
        return rules.revision.secrets, [ref.env for ref in rules.revision.secrets]
    if name == "resource":
        resources = list(rules.revision.resources.items())
        return resources, [key for key, _ in resources]
    if name == "rollout_step":
        steps = state.settings.rollout
        if steps is None:
            return [], []
        shares = steps or rules.rollout.steps
        return shares, [f"{share}%" for share in shares]
    if name == "compare_kind":
        kinds = [kind.name for kind in rules.compare.requests] if rules.compare else []
        return kinds, kinds
    lines = rules.logs.startup_lines
    return lines, [re.sub(r"\\(.)", r"\1", line) for line in lines]


def _cases(
    metafunc: pytest.Metafunc,
    name: str,
    values: Sequence[object],
    ids: list[str],
    reason: str | None = None,
) -> None:
    """The cases of ``name``; none is one case, skipped with a sentence instead of pytest's
    "got empty parameter set"."""
    if values:
        metafunc.parametrize(name, values, ids=ids)
        return
    skipped = pytest.param(None, marks=pytest.mark.skip(reason=reason or CASES[name]), id="none")
    metafunc.parametrize(name, [skipped])
