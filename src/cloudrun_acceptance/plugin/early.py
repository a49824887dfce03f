"""When the service stage's thread starts (engine/service_stage.py runs its steps): a plan
decided once, at configure, from the command line alone.

- ``AT_SESSION_START``: nothing on the command line can deselect a check (no paths or node
  ids, no -k, -m, --deselect, --ignore, --lf, --ff, --nf, --sw, --sw-skip), and the plugin
  collects the built-in checks (plugin/builtin.py makes such a run collect the contract), so
  which of them will ask for the forced analysis and the cached calls is known from the
  package and the contract's ``checks.skip``: the thread starts
  before collection, through the analysis when its check will run, and collection, the health
  and metrics checks overlap its waits. Nothing depends on the order modules are collected in.
- ``AT_COLLECTION_END``: the checks selected are known only then; the thread starts when one
  of them asks for the analysis.
- ``NEVER``: each step runs when its fixture asks (a run that checks nothing, stops at a
  failure, runs the pre-flight first, runs under xdist, lists fixtures, or judges a canary).

PYTEST_DONT_REWRITE: a module of the plugin's ``pytest_plugins``, which plugin/hooks.py may
import before pytest registers it; it holds no test's assertion, and the marker keeps
pytest 8 from warning that it could not rewrite one.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

import pytest

from ..config.builtins import checks_using
from ..model.contract import Contract
from .collection import is_gate_check
from .state import STATE_KEY, TargetSession, state_of
from .targetstates import state_of_item

# The fixtures of the steps that send what a check could decline, in the order they run.
ANALYSIS_FIXTURES = ("analysis_run", "cache_run")
NARROWING = (
    "keyword",
    "markexpr",
    "deselect",
    "ignore",
    "ignore_glob",
    "lf",
    "failedfirst",
    "newfirst",
    "stepwise",
    "stepwise_skip",
)


class EarlyStart(Enum):
    """When the service stage's thread starts."""

    NEVER = "never: each step runs when its fixture asks"
    AT_COLLECTION_END = "at the end of collection, when a selected check asks for the analysis"
    AT_SESSION_START = "before collection, through the steps the built-in checks will ask for"


PLAN_KEY = pytest.StashKey[EarlyStart]()


def early_start_allowed(config: pytest.Config) -> bool:
    """Whether this run may start the stage's thread before a check asks (and so read the
    Admin API in full only at the end of collection): not in a run that checks nothing
    (``--collect-only``), that stops at a failure (``-x``, ``--maxfail``), that runs the
    pre-flight first, or under xdist (the controller does not know which worker runs the
    analysis); nor in one that lists the fixtures or the plan of their set-up."""
    state = config.stash.get(STATE_KEY, None)
    return not (
        state is None
        or state.settings.preflight is not None
        or hasattr(config, "workerinput")
        or config.option.collectonly
        or config.option.showfixtures
        or config.option.show_fixtures_per_test
        or config.option.setupplan
        or config.option.maxfail
        or getattr(config.option, "numprocesses", None)
        or getattr(config.option, "dist", "no") != "no"
        # A canary phase's share decides which checks run: the Admin API is read in full first.
        or state.settings.canary_phase
    )


def early_plan(config: pytest.Config) -> EarlyStart:
    """The plan, decided once (at configure) and kept in the config's stash."""
    if PLAN_KEY not in config.stash:
        if not early_start_allowed(config):
            plan = EarlyStart.NEVER
        elif (
            config.args_source == pytest.Config.ArgsSource.ARGS
            or any(getattr(config.option, name, None) for name in NARROWING)
            or not config.pluginmanager.has_plugin("cloudrun_acceptance.plugin.builtin")
        ):
            plan = EarlyStart.AT_COLLECTION_END
        else:
            plan = EarlyStart.AT_SESSION_START
        config.stash[PLAN_KEY] = plan
    return config.stash[PLAN_KEY]


def built_in_wants(contract: Contract) -> set[str]:
    """The analysis fixtures the built-in checks will ask for: those of a check the contract
    does not skip (the cached calls' check asks for the analysis too)."""
    skipped = set(contract.skipped_checks)
    wanted = {
        fixture
        for fixture in ANALYSIS_FIXTURES
        if any(check not in skipped for check in checks_using(fixture))
    }
    return wanted | ({"analysis_run"} if "cache_run" in wanted else set())


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Before collection, in a run whose command line cannot deselect a check: each target's
    thread starts, through the steps the built-in checks will ask for."""
    config = session.config
    primary = state_of(config)
    if early_plan(config) is EarlyStart.AT_SESSION_START and primary.target is not None:
        wanted = built_in_wants(primary.contract)
        for state in primary.run_states():
            state.start_early(wanted)


def pytest_collection_finish(session: pytest.Session) -> None:
    """The checks are known: when the plan waited for them and one asks for the forced
    analysis, its thread starts now, beside the health and metrics checks; then the Admin API
    is read in full."""
    config = session.config
    plan = early_plan(config)
    if plan is EarlyStart.NEVER:
        return
    primary = state_of(config)
    for state in primary.run_states():
        if plan is EarlyStart.AT_COLLECTION_END:
            wanted = _wanted(primary, state, session.items)
            if "analysis_run" in wanted:
                state.start_early(wanted)
        state.read_in_full()


def _wanted(primary: TargetSession, state: TargetSession, items: Iterable[pytest.Item]) -> set[str]:
    """The fixtures of ``state``'s checks among ``items`` that will run (not those the
    contract's ``checks.skip`` marked skipped)."""
    return {
        name
        for item in items
        if is_gate_check(item)
        and item.get_closest_marker("skip") is None
        and state_of_item(item, primary) is state
        for name in getattr(item, "fixturenames", ())
    }
