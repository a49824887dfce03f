"""gc.freeze while the analysis is awaited and at the end of a gate run started from the
command line, and only then."""

from __future__ import annotations

import gc
import sys
from types import SimpleNamespace

import pytest

from cloudrun_acceptance.plugin import gc_freeze
from cloudrun_acceptance.plugin.records import RECORDS_KEY
from cloudrun_acceptance.plugin.state import STATE_KEY


def config(args: tuple[str, ...], *, record: bool = True) -> SimpleNamespace:
    # A gate run (a target) reports; a run of a project's own tests does neither.
    settings = SimpleNamespace(target_requested=record)
    state = SimpleNamespace(settings=settings)
    stash = {STATE_KEY: state, RECORDS_KEY: {"": object()} if record else {}}
    return SimpleNamespace(stash=stash, invocation_params=SimpleNamespace(args=args))


@pytest.fixture
def freezes(monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append(1))
    monkeypatch.setattr(gc, "collect", lambda: calls.append(0))
    monkeypatch.setattr(gc_freeze, "_configured", [])
    return calls


def test_the_outermost_command_line_run_freezes_once_configured_and_at_its_end(
    freezes, monkeypatch
):
    monkeypatch.setattr(sys, "argv", ["pytest", "--sandbox"])
    outer, inner = config(("--sandbox",)), config(("--sandbox",))
    gc_freeze.pytest_configure(outer)
    assert freezes == [1]
    gc_freeze.pytest_configure(inner)  # pytester's in-process run, inside it
    gc_freeze.pytest_unconfigure(inner)
    assert freezes == [1]
    gc_freeze.pytest_unconfigure(outer)
    assert freezes == [1, 1]


def test_pytest_main_with_its_own_arguments_does_not_freeze(freezes, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["ci-script.py"])
    run = config(("--sandbox",))
    gc_freeze.pytest_configure(run)
    gc_freeze.pytest_unconfigure(run)
    assert freezes == []


def test_a_run_that_reports_nothing_does_not_freeze(freezes, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["pytest", "tests/unit"])
    run = config(("tests/unit",), record=False)
    gc_freeze.pytest_configure(run)
    gc_freeze.pytest_unconfigure(run)
    assert freezes == []


def test_the_command_line_run_collects_and_freezes_while_it_waits(freezes, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["pytest", "--sandbox"])
    run = config(("--sandbox",))
    gc_freeze.pytest_configure(run)
    gc_freeze.settle_while_waiting()
    assert freezes == [1, 0, 1]  # frozen once configured; collected, then frozen
    gc_freeze.pytest_unconfigure(run)
    assert freezes == [1, 0, 1, 1]


def test_an_in_process_run_never_touches_the_collector_while_it_waits(freezes, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["pytest", "--sandbox"])
    outer, inner = config(("--sandbox",)), config(("--sandbox",))
    gc_freeze.pytest_configure(outer)
    gc_freeze.pytest_configure(inner)
    gc_freeze.settle_while_waiting()
    assert freezes == [1]  # the outer run's, once configured: nothing while the inner waits
