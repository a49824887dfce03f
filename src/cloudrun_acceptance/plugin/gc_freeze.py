"""The garbage collector, kept off the gate's critical path.

With everything a gate run imports alive (the Google clients, grpc and protobuf among them), a
full collection takes 15 to 30 ms, and CPython starts one where its allocation counts say:
often right after the forced analysis answers, between the cached calls, and again in pytest's
own collections at exit, then once more when the interpreter ends. So, in a gate run started
from the command line:

- once configured (the plugin and its libraries imported, the contract read), what is alive is
  frozen (``gc.freeze``): a full collection before the forced analysis is sent skips it;
- while it waits for the forced analysis's answer (on a socket), the garbage is collected and
  what is alive is frozen again: the collections after the answer skip those objects;
- right after ``pytest_unconfigure``, the objects alive then are frozen too, so that the
  interpreter's last collection skips them.

Never when pytest runs inside another pytest (pytester's in-process runs) or in a program that
called ``pytest.main`` and goes on: a frozen heap is never collected.

PYTEST_DONT_REWRITE: a module of the plugin's ``pytest_plugins``, which plugin/hooks.py may
import before pytest registers it; it holds no test's assertion, and the marker keeps
pytest 8 from warning that it could not rewrite one.
"""

from __future__ import annotations

import gc
import sys

import pytest

from .records import records_of
from .state import STATE_KEY, TargetSession

_configured: list[pytest.Config] = []  # this process's configs, outermost first


def pytest_configure(config: pytest.Config) -> None:
    _configured.append(config)
    state = _last_run_state(config)
    if state is not None and state.settings.target_requested:
        gc.freeze()


def _last_run_state(config: pytest.Config) -> TargetSession | None:
    """The state of a run started from the command line, the process's only one (nothing runs
    after it), or None."""
    state = config.stash.get(STATE_KEY, None)
    from_command_line = config.invocation_params.args == tuple(sys.argv[1:])
    return state if _configured == [config] and from_command_line else None


def settle_while_waiting() -> None:
    """Collect the garbage and freeze what is alive: called while the run waits on a socket."""
    if len(_configured) == 1 and _last_run_state(_configured[0]) is not None:
        gc.collect()
        gc.freeze()


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    state = _last_run_state(config)
    if state is not None and records_of(config):
        gc.freeze()
    if config in _configured:
        _configured.remove(config)
