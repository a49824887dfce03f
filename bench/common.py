"""What the benchmarks share: figures, timing side by side, the sandbox, and gate runs."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.config.envfile import load_env_file
from cloudrun_acceptance.sandbox.faults.profiles import Behaviour
from cloudrun_acceptance.sandbox.launcher import Sandbox, start_sandbox
from cloudrun_acceptance.sandbox.platform.deployment import SESSION_ID

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
# The environment of a gate run as a user's machine gives it. This machine sets
# PYTHONDONTWRITEBYTECODE=1, a user's does not: there pytest caches the plugin's modules (it
# rewrites them, as every pytest11 plugin's) after the first run, which the warm-up runs.
USER_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass(frozen=True)
class Figure:
    """One measured figure, its target, and whether the target is met."""

    bench: str
    name: str
    value: str
    target: str
    met: bool | None  # None: reported, no target
    note: str = ""


def venv_figure(bench: str, name: str, value: str, venv: str, target: str, met: bool) -> Figure:
    """A gate figure of one virtualenv: the target holds in a user's; the development one's
    is reported beside it."""
    if venv == "user":
        return Figure(bench, name, value, target, met)
    return Figure(bench, name, value, "reported", None)


def machine() -> str:
    """Cores, CPU and Python: what RESULTS.md records with each figure."""
    cpu = platform.processor() or platform.machine()
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {platform.system()}"
    )


def median_time(fn: Callable[[], object], runs: int) -> float:
    """The median wall time of ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def side_by_side(fns: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """Median wall time of each function, run interleaved so machine noise hits all alike,
    after one untimed warm-up round (caches filled, as for every run but a machine's first)."""
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


@contextmanager
def sandbox(analysis_seconds: float = 1.0, behaviour: Behaviour | None = None) -> Iterator[Sandbox]:
    """A running sandbox of the shipped contract and env.yaml."""
    contract = load_contract(REPO / "tests/acceptance/contract.yaml")
    running = start_sandbox(
        contract,
        load_env_file(REPO / "env.yaml"),
        analysis_seconds=analysis_seconds,
        behaviour=behaviour,
    )
    try:
        yield running
    finally:
        running.stop()


@contextmanager
def gate_checkout() -> Iterator[Path]:
    """A copy of the gate (pytest.ini, env.yaml, tests/acceptance), for its reports."""
    with tempfile.TemporaryDirectory(prefix="gate-bench-") as tmp:
        root = Path(tmp)
        for name in ("pytest.ini", "env.yaml"):
            shutil.copy(REPO / name, root / name)
        shutil.copytree(REPO / "tests/acceptance", root / "tests/acceptance")
        yield root


def gate_arguments(running: Sandbox) -> list[str]:
    """The gate against a running sandbox, as against a deployed service: every check."""
    d = running.deployment
    return [
        f"--project={d.project}",
        f"--region={d.region}",
        f"--service={d.service}",
        f"--cloudrun-endpoint={running.admin_endpoint}",
        f"--logging-endpoint={running.logging_endpoint}",
        f"--monitoring-endpoint={running.monitoring_endpoint}",
        f"--test-session={SESSION_ID}",
    ]


def run_gate(root: Path, arguments: list[str], *, expect: int = 0, python: str = PYTHON) -> None:
    """One gate run in a fresh process, as an operator or CI runs it, in the virtualenv of
    ``python`` (the development one unless given)."""
    command = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *arguments]
    done = subprocess.run(
        command, cwd=root, capture_output=True, text=True, check=False, env=USER_ENV
    )
    if done.returncode != expect:
        raise RuntimeError(
            f"gate exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}"
        )


@contextmanager
def sandbox_process(*args: str) -> Iterator[str]:
    """A sandbox in a process of its own (``bench.serve``); yields its service URL."""
    process = subprocess.Popen(
        [PYTHON, "-m", "bench.serve", *args],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdin is not None
    try:
        yield process.stdout.readline().strip()
    finally:
        process.stdin.close()
        process.wait(timeout=10)


def run_manual(url: str) -> None:
    """The runbook's manual procedure (curl, grep, sleep)."""
    subprocess.run(
        ["bash", str(REPO / "bench/manual_procedure.sh"), url, SESSION_ID],
        check=True,
        capture_output=True,
    )


def url_arguments(running: Sandbox) -> list[str]:
    """The gate against the sandbox's URL alone: health, metrics, analysis and cache."""
    return [f"--service-url={running.service_url}", f"--test-session={SESSION_ID}"]


def run_runbook(running: Sandbox) -> None:
    """The whole runbook by hand: the curl half, then gcloud's revisions, env and logs, with
    the real gcloud pointed at the sandbox."""
    d = running.deployment
    inherited = {k: v for k, v in USER_ENV.items() if not k.startswith("CLOUDSDK_")}
    subprocess.run(
        [
            "bash",
            str(REPO / "bench/manual_runbook.sh"),
            running.service_url,
            SESSION_ID,
            d.project,
            d.region,
            d.service,
        ],
        env={**inherited, **running.gcloud().environment},
        check=True,
        capture_output=True,
    )
