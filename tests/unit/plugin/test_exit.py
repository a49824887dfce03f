"""gc.freeze at the end of a gate run started from the command line, and only then."""

from __future__ import annotations

import gc
import sys
from types import SimpleNamespace

import pytest

from cloudrun_acceptance.plugin import exit as quick_exit
from cloudrun_acceptance.plugin.state import STATE_KEY


def config(args: tuple[str, ...], *, record: bool = True) -> SimpleNamespace:
    state = SimpleNamespace(record=object() if record else None)
    stash = {STATE_KEY: state}
    return SimpleNamespace(stash=stash, invocation_params=SimpleNamespace(args=args))


@pytest.fixture
def freezes(monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append(1))
    monkeypatch.setattr(quick_exit, "_configured", [])
    return calls


def test_the_outermost_command_line_run_freezes_at_its_end(freezes, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["pytest", "--sandbox"])
    outer, inner = config(("--sandbox",)), config(("--sandbox",))
    quick_exit.pytest_configure(outer)
    quick_exit.pytest_configure(inner)  # pytester's in-process run, inside it
    quick_exit.pytest_unconfigure(inner)
    assert freezes == []
    quick_exit.pytest_unconfigure(outer)
    assert freezes == [1]


def test_pytest_main_with_its_own_arguments_does_not_freeze(freezes, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["ci-script.py"])
    run = config(("--sandbox",))
    quick_exit.pytest_configure(run)
    quick_exit.pytest_unconfigure(run)
    assert freezes == []


def test_a_run_that_reports_nothing_does_not_freeze(freezes, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["pytest", "tests/unit"])
    run = config(("tests/unit",), record=False)
    quick_exit.pytest_configure(run)
    quick_exit.pytest_unconfigure(run)
    assert freezes == []
