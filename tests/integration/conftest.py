"""Integration tests: the gate in tests/acceptance, run through pytester against real servers."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import replace

# Imported once here: pytester's in-process runs drop the modules first imported during a test.
# These are slow to import, protobuf registries must not be built twice, and httpx caches the
# exception classes of httpcore (which it imports lazily): a re-imported httpcore would raise
# exceptions that httpx no longer recognises.
import fastapi  # noqa: F401
import google.cloud.logging
import google.cloud.run_v2  # noqa: F401
import httpx
import numpy  # noqa: F401 - an extension module: it cannot be loaded twice in one process
import pytest
import scipy.stats  # noqa: F401
import uvicorn  # noqa: F401

from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.config.envfile import load_env_file
from cloudrun_acceptance.sandbox.faults.profiles import behaviour_for
from cloudrun_acceptance.sandbox.launcher import Sandbox, start_sandbox
from tests.integration.gatekit import copy_gate
from tests.paths import REPO, SHIPPED_CONTRACT

with httpx.Client(transport=httpx.HTTPTransport()) as _warm, contextlib.suppress(httpx.HTTPError):
    _warm.get("http://127.0.0.1:9/")  # port 9 (discard): refused; loads httpcore's exceptions

pytest_plugins = ["pytester"]

GATE_ENVIRONMENT = (
    "SERVICE_URL",
    "PROJECT_ID",
    "REGION",
    "SERVICE_NAME",
    "TEST_SESSION",
    "CLOUDRUN_API_ENDPOINT",
    "LOGGING_API_ENDPOINT",
    "SERVICE_TOKEN",
    "GITHUB_STEP_SUMMARY",
    "PYTEST_ADDOPTS",
    "PYTEST_TIMEOUT",
)


@pytest.fixture(autouse=True)
def _no_gate_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The operator's exported settings must not leak into the runs under test."""
    for name in GATE_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def gate_dir(pytester: pytest.Pytester) -> pytest.Pytester:
    """A pytester directory holding a copy of the repository's gate."""
    copy_gate(pytester)
    return pytester


@pytest.fixture
def sandbox_with() -> Iterator[Callable[..., Sandbox]]:
    """Start a sandbox with these faults, as a deployed service the gate is pointed at; the test
    reads its state (traffic, updates, requests) after the run."""
    started: list[Sandbox] = []

    def start(*faults: str, **changes: object) -> Sandbox:
        """``changes``: Behaviour fields to set beside the faults' (a shorter delay, say)."""
        contract = load_contract(SHIPPED_CONTRACT)
        behaviour = replace(behaviour_for(faults), **changes) if changes else None
        sandbox = start_sandbox(
            contract,
            load_env_file(REPO / "env.yaml"),
            faults=faults,
            analysis_seconds=0.05,
            behaviour=behaviour,
        )
        started.append(sandbox)
        return sandbox

    yield start
    for sandbox in started:
        sandbox.stop()


@pytest.fixture
def running_sandbox(sandbox_with: Callable[..., Sandbox]) -> Sandbox:
    """A good sandbox started by the test itself."""
    return sandbox_with()
