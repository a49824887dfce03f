"""A quick exit for a gate run started from the command line.

At exit, CPython collects the garbage of every module the run imported (the Google clients,
grpc and protobuf among them): about 0.1 s here, spent after the last line is printed. A gate
run started from the command line ends its process right after ``pytest_unconfigure``, so the
objects alive then are frozen (``gc.freeze``) and that last collection skips them. Never when
pytest runs inside another pytest (pytester's in-process runs) or in a program that called
``pytest.main`` and goes on: a frozen heap is never collected.
"""

from __future__ import annotations

import gc
import sys

import pytest

from .state import STATE_KEY

_configured: list[pytest.Config] = []  # this process's configs, outermost first


def pytest_configure(config: pytest.Config) -> None:
    _configured.append(config)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    if config in _configured:
        _configured.remove(config)
    state = config.stash.get(STATE_KEY, None)
    from_command_line = config.invocation_params.args == tuple(sys.argv[1:])
    if not _configured and state is not None and state.record is not None and from_command_line:
        gc.freeze()
