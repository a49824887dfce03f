"""When the service stage's thread starts: before collection for the steps that send nothing
a check could decline, as the analysis module is collected for the forced analysis when nothing
can deselect it, else at the end of collection (engine/service_stage.py runs the steps)."""

from __future__ import annotations

from collections.abc import Generator, Sequence

import pytest

from .collection import is_gate_check
from .state import STATE_KEY, GateState, state_of
from .targetstates import state_of_item


def early_start_allowed(config: pytest.Config) -> bool:
    """Whether this run may send the forced analysis at the end of collection (and so read the
    Admin API in full only then): not in a run that checks nothing (``--collect-only``), that
    stops at a failure (``-x``, ``--maxfail``), that runs the pre-flight first, or under xdist
    (the controller does not know which worker runs the analysis); nor in one that lists the
    fixtures or the plan of their set-up."""
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


def _sends_as_collected(config: pytest.Config) -> bool:
    """Whether the forced analysis may be sent as soon as its module is collected: a run that
    may send it early, and in which nothing the command line says can deselect a check (no
    -k, -m, --deselect, --lf, --ff, --nf, --sw, and no paths or node ids given)."""
    option = config.option
    narrowing = (
        getattr(option, name, None)
        for name in ("keyword", "markexpr", "deselect", "lf", "failedfirst", "newfirst", "stepwise")
    )
    return (
        early_start_allowed(config)
        and config.args_source != pytest.Config.ArgsSource.ARGS
        and not any(narrowing)
    )


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Before collection, in a run that will send the forced analysis as its module is
    collected: each target's health wait and first scrape start now, beside the collection."""
    config = session.config
    if _sends_as_collected(config):
        for state in state_of(config).run_states():
            state.arm_early()


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    """A module of the gate's checks is collected: when it holds the analysis check and nothing
    can deselect it, the forced analysis is sent now (cloudrun_acceptance/gate/test_analysis.py
    comes first), while the rest of the checks are collected."""
    report = yield
    config = collector.config
    if isinstance(collector, pytest.Module) and report.passed and STATE_KEY in config.stash:
        items = [node for node in report.result if isinstance(node, pytest.Item)]
        analysis = any("analysis_run" in getattr(item, "fixturenames", ()) for item in items)
        if analysis and _sends_as_collected(config):
            _send_early(state_of(config), items)
    return report


def _send_early(primary: GateState, items: Sequence[pytest.Item]) -> None:
    """Each target's forced analysis, for the checks among ``items`` that are its own and
    will run (not those the contract's ``checks.skip`` marked skipped)."""
    for state in primary.run_states():
        wanted = {
            name
            for item in items
            if is_gate_check(item)
            and item.get_closest_marker("skip") is None
            and state_of_item(item, primary) is state
            for name in getattr(item, "fixturenames", ())
        }
        state.send_early(wanted)


def pytest_collection_finish(session: pytest.Session) -> None:
    """The checks are known: when the forced analysis surely runs, send it now, beside the
    health and metrics checks (engine/service_stage.py); then read the Admin API in full."""
    config = session.config
    if not early_start_allowed(config):
        return
    primary = state_of(config)
    # Every target's analysis at once (unless sent as its module was collected), then the
    # Admin API read beside them.
    _send_early(primary, session.items)
    for state in primary.run_states():
        state.stand_down_early()  # armed, and no analysis sent: the thread ends
        state.read_in_full()
