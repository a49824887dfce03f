"""8. The team's own service in the sandbox: its start-up, the proxy's cost, and the whole gate.

A contract with a ``sandbox:`` section runs the team's service (tests/fixtures/shop, the second
reference service) as a child process behind the proxy and the sandbox's Cloud Run front end,
instead of the in-process reference service. Side by side in one run, interleaved:

- start-up: ``start_for_contract`` on a copy of the shop with its contract and env.yaml, against
  ``start_sandbox`` of the shipped contract (the reference service), median of several starts,
  each until the call returns (the child listens on $PORT); a bare ``python -c "import
  shop.server"`` in the same loop is the child's own interpreter start and imports;
- the proxy: GET /healthz straight to the child's port against the same through the front end,
  on warm connections (one ``httpx.Client`` each), many samples; a third arm swaps a trivial app
  in for the proxy behind the same front end, to tell the front end's share from the proxy's;
- the whole gate: ``pytest --sandbox`` in a fresh process, in a repository holding the shop's
  sources and the gate's files, against the same on a copy of the example's gate.
"""

from __future__ import annotations

import re
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.common import PYTHON, REPO, Figure, gate_checkout
from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.config.envfile import load_env_file
from cloudrun_acceptance.sandbox.launch import start_for_contract
from cloudrun_acceptance.sandbox.launcher import Sandbox, start_sandbox
from cloudrun_acceptance.sandbox.platform.asgi import Receive, Scope, Send, answer

SHOP = REPO / "tests/fixtures/shop"
SHOP_CONTRACT = REPO / "tests/fixtures/shop-contract.yaml"
ANALYSIS_SECONDS = 1.0  # the example's, as bench/common.py's sandbox(); the shop prices in 0.2 s
START_RUNS = 7
WARM_UP = 50
SAMPLES = 1000
GATE_RUNS = 3
GATE_TIMEOUT = 120.0
PROXY_TARGET_MS = 2.0
VERDICT = re.compile(
    r"^cloudrun-acceptance: (?P<label>\S+) (?P<status>PASSED|FAILED|INCONCLUSIVE) "
    r"\((?P<passed>\d+) passed, (?P<failed>\d+) failed, (?P<errors>\d+) errors, "
    r"(?P<skipped>\d+) skipped(?P<more>[^)]*)\)",
    re.M,
)


@contextmanager
def shop_copy() -> Iterator[Path]:
    """A temporary copy of the shop's source tree (Dockerfile, env.yaml, shop/)."""
    with tempfile.TemporaryDirectory(prefix="own-service-bench-") as tmp:
        root = Path(tmp) / "shop"
        shutil.copytree(SHOP, root, ignore=shutil.ignore_patterns("__pycache__"))
        yield root


@contextmanager
def shop_gate() -> Iterator[Path]:
    """A repository as a team's: the shop's sources, the gate's files, the shop's contract."""
    with shop_copy() as root:
        shutil.copy(REPO / "pytest.ini", root / "pytest.ini")
        checks = root / "tests/acceptance"
        checks.mkdir(parents=True)
        shutil.copy(SHOP_CONTRACT, checks / "contract.yaml")
        yield root


@contextmanager
def timed_start(start: Callable[[], Sandbox], times: list[float]) -> Iterator[Sandbox]:
    """A sandbox started by ``start``, its start-up appended to ``times``; stopped always."""
    began = time.perf_counter()
    running = start()
    times.append(time.perf_counter() - began)
    try:
        yield running
    finally:
        running.stop()


def startups(source: Path) -> dict[str, float]:
    """Median start-up of the own-service sandbox, the reference one, and the bare child."""
    shop = load_contract(SHOP_CONTRACT)
    shop_env = load_env_file(source / "env.yaml")
    example = load_contract(REPO / "tests/acceptance/contract.yaml")
    example_env = load_env_file(REPO / "env.yaml")
    times: dict[str, list[float]] = {"own": [], "reference": [], "python": []}
    for _ in range(START_RUNS):
        with timed_start(lambda: start_for_contract(shop, shop_env, source=source), times["own"]):
            pass
        with timed_start(
            lambda: start_sandbox(example, example_env, analysis_seconds=ANALYSIS_SECONDS),
            times["reference"],
        ):
            pass
        began = time.perf_counter()
        subprocess.run([PYTHON, "-c", "import shop.server"], cwd=source, check=True)
        times["python"].append(time.perf_counter() - began)
    return {name: statistics.median(values) for name, values in times.items()}


async def trivial_app(scope: Scope, receive: Receive, send: Send) -> None:
    """What the front end serves in the proxy's place to be timed alone: ``ok``, at once."""
    await answer(send, 200, b"ok\n")


def proxy_cost(source: Path) -> dict[str, float]:
    """Median ms of GET /healthz straight to the child, through the front end and the proxy,
    and through the front end alone (a trivial app in the proxy's place)."""
    with (
        timed_start(
            lambda: start_for_contract(
                load_contract(SHOP_CONTRACT), load_env_file(source / "env.yaml"), source=source
            ),
            [],
        ) as running,
        httpx.Client(base_url=running.service_url, timeout=10) as front,
    ):
        assert running.own is not None, "the shop's contract runs the team's own service"
        proxy = running.frontend.app
        arms = {"direct": proxy, "proxy": proxy, "front end": trivial_app}
        samples: dict[str, list[float]] = {name: [] for name in arms}
        try:
            with httpx.Client(
                base_url=f"http://127.0.0.1:{running.own.port}", timeout=10
            ) as direct:
                for i in range(WARM_UP + SAMPLES):
                    for name, app in arms.items():
                        running.frontend.app = app
                        client = direct if name == "direct" else front
                        began = time.perf_counter()
                        response = client.get("/healthz")
                        elapsed = time.perf_counter() - began
                        response.raise_for_status()
                        if i >= WARM_UP:
                            samples[name].append(elapsed * 1000)
        finally:
            running.frontend.app = proxy
    return {name: statistics.median(values) for name, values in samples.items()}


@dataclass(frozen=True)
class GateRun:
    seconds: float
    returncode: int
    verdict: str  # the last verdict line, or the output's tail when there is none

    @property
    def all_passed(self) -> bool:
        found = VERDICT.search(self.verdict)
        return (
            self.returncode == 0
            and found is not None
            and found["status"] == "PASSED"
            and int(found["passed"]) > 0
            and found["failed"] == found["errors"] == found["skipped"] == "0"
            and not found["more"]
        )

    @property
    def counts(self) -> str:
        found = VERDICT.search(self.verdict)
        if found is None:
            return f"exit {self.returncode}, no verdict line"
        return f"{found['status']} ({found['passed']} passed, {found['failed']} failed)"


def gate(root: Path, *arguments: str) -> GateRun:
    """``pytest --sandbox`` in a fresh process, as an operator runs it; on a timeout, an
    interrupt first, so that the gate's cleanup stops the sandbox and the team's service."""
    command = [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--sandbox", *arguments]
    began = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        output, _ = process.communicate(timeout=GATE_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        output = f"timed out after {GATE_TIMEOUT:g} s\n{output}"
    seconds = time.perf_counter() - began
    lines = [line for line in output.splitlines() if VERDICT.match(line)]
    return GateRun(seconds, process.returncode, lines[-1] if lines else output[-2000:])


def gates() -> dict[str, list[GateRun]]:
    runs: dict[str, list[GateRun]] = {"own": [], "example": []}
    with shop_gate() as shop, gate_checkout() as example:
        for _ in range(GATE_RUNS):
            runs["own"].append(gate(shop))
            runs["example"].append(
                gate(example, f"--sandbox-analysis-seconds={ANALYSIS_SECONDS:g}")
            )
    return runs


def run() -> list[Figure]:
    with shop_copy() as source:
        start = startups(source)
        hop = proxy_cost(source)
    runs = gates()
    own_gate = statistics.median(r.seconds for r in runs["own"])
    example_gate = statistics.median(r.seconds for r in runs["example"])
    added = hop["proxy"] - hop["direct"]
    passed = all(r.all_passed for rs in runs.values() for r in rs)
    failing = [r.verdict for rs in runs.values() for r in rs if not r.all_passed]
    return [
        Figure(
            "own service",
            f"sandbox start-up, own service - reference, median of {START_RUNS}",
            f"{start['own'] - start['reference']:+.3f} s, {start['own'] / start['reference']:.1f}x "
            f"({start['own']:.3f} s vs {start['reference']:.3f} s; the child's bare "
            f"`python -c 'import shop.server'` {start['python']:.3f} s)",
            "reported",
            None,
            note="the child process's own Python start (interpreter and imports) dominates",
        ),
        Figure(
            "own service",
            f"proxy's cost per request, GET /healthz, median of {SAMPLES} warm",
            f"+{added:.2f} ms ({hop['proxy']:.2f} ms through the front end and the proxy vs "
            f"{hop['direct']:.2f} ms straight to the child; the front end alone, a trivial app "
            f"behind it, {hop['front end'] - hop['direct']:+.2f} ms)",
            f"<= {PROXY_TARGET_MS:g} ms median added",
            added <= PROXY_TARGET_MS,
        ),
        Figure(
            "own service",
            f"pytest --sandbox, own service / example, median of {GATE_RUNS}",
            f"{own_gate / example_gate:.2f} ({own_gate:.2f} s / {example_gate:.2f} s)",
            "reported",
            None,
            note=(
                f"the example's analysis takes {ANALYSIS_SECONDS:g} s "
                "(--sandbox-analysis-seconds), the shop's order 0.2 s (SHOP_PRICING_SECONDS)"
            ),
        ),
        Figure(
            "own service",
            "every check passed, both gates, every run",
            "; ".join(
                f"{name} {sum(r.all_passed for r in rs)}/{len(rs)} runs, last {rs[-1].counts}"
                for name, rs in runs.items()
            )
            + (f"; failing: {' | '.join(failing)}" if failing else ""),
            "PASSED, 0 failed, 0 errors, 0 skipped",
            passed,
        ),
    ]
