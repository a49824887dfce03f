"""A newcomer's first hour on a service nobody here wrote: the latecomer (tests/fixtures/latecomer),
Prometheus-like, whose runtime and client library expose families of their own and which
registers two more a while after its first scrape. `init --from-url` on a freshly started one
drafts a contract that `pytest --sandbox`, starting it afresh, passes; a summary's `_count`
named as the action's counter is read; a cache without a counter says so; a family that appeared
late, a misspelt counter and a `_created` one fail, each naming what to do."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import yaml

from tests.paths import REPO

LATECOMER = REPO / "tests/fixtures/latecomer"
CLI = Path(sys.executable).with_name("cloudrun-acceptance")
CONTRACT = "tests/acceptance/contract.yaml"
# What the team adds by hand: its action, counted by the summary's _count, and a cache
# section without a counter (the service counts no cache hits).
ACTION = """
analysis:
  path: /api/v1/query
  form: {query: up}
  counter_deadline_seconds: 2
  counters:
    - {metric: latecomer_query_seconds_count}
cache:
  method: GET
  budget_seconds: 0.3
"""
LATE = "    # - {name: latecomer_tsdb_head_series, type: gauge}"
PRESENCE = "test_metric_is_exposed_with_its_type[latecomer_tsdb_head_series]"
ANALYSIS = "test_forced_analysis_moves_the_counters"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def gate(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", *args, cwd=repo)


def verdict(result: subprocess.CompletedProcess[str]) -> str:
    return next(
        line
        for line in reversed(result.stdout.splitlines())
        if line.startswith("cloudrun-acceptance: ")
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Drafted:
    """The latecomer's repository after init, and what init printed."""

    repo: Path
    url: str
    init: subprocess.CompletedProcess[str]
    draft: str


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> Drafted:
    repo = tmp_path_factory.mktemp("newcomer") / "latecomer"
    shutil.copytree(LATECOMER, repo)
    port = free_port()
    # Freshly started: its late families come 0.1 s after the first scrape, init's second
    # scrape 2 s after it.
    service = subprocess.Popen(
        [sys.executable, "-m", "latecomer.server", "--port", str(port)],
        cwd=repo,
        env={**os.environ, "LATECOMER_LATE_SECONDS": "0.1"},
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/-/healthy", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the latecomer did not start"
                time.sleep(0.05)
        done = run(
            str(CLI), "init", f"--from-url={url}", "--health-path=/-/healthy",
            "--rescrape-after=2", "--ci=none",
            cwd=repo,
        )  # fmt: skip
    finally:
        service.terminate()
        service.wait(timeout=20)
    assert done.returncode == 0, done.stderr
    return Drafted(repo, url, done, (repo / CONTRACT).read_text())


def test_init_requires_what_a_fresh_instance_exposes(drafted):
    assert (
        f"read  {drafted.url}: 3 metric families at /metrics (and 2 that appeared late, 12 of "
        "the runtime or client library, commented out), scraped twice 2 s apart; health "
        "/-/healthy answered 200 text/plain"
    ) in drafted.init.stdout
    assert "had been up" not in drafted.init.stdout + drafted.draft  # a fresh instance
    metrics = yaml.safe_load(drafted.draft)["metrics"]
    assert metrics["expected"] == [
        {"name": "latecomer_build_info", "type": "gauge", "labels": ["version"]},
        {"name": "latecomer_http_requests_total", "type": "counter", "labels": ["code", "handler"]},
        {"name": "latecomer_query_seconds", "type": "summary"},
    ]
    assert metrics["min_present"] == 2
    lines = drafted.draft.splitlines()
    start = lines.index("    - {name: latecomer_query_seconds, type: summary}") + 1
    assert lines[start : start + 4] == [
        "    # appeared late: absent from the first scrape, present 2 s later; a fresh instance lacks",
        "    # them at first (uncomment to require them):",
        "    # - {name: latecomer_tsdb_compactions_total, type: counter}",
        LATE,
    ]
    assert (
        "    # the runtime's and the client library's own (go_*, process_*, promhttp_*, python_*)"
    ) in drafted.draft
    assert "    # - {name: go_goroutines, type: gauge}" in lines
    assert "  # The aggregate check: at least 2 of the 3 above. A missing family" in drafted.draft


def test_the_draft_passes_a_fresh_start_and_reads_the_summarys_count(drafted, tmp_path):
    repo = tmp_path / "latecomer"
    shutil.copytree(drafted.repo, repo)
    (repo / CONTRACT).write_text(drafted.draft + ACTION)
    result = gate(repo, "--sandbox")
    assert result.returncode == 0, result.stdout[-4000:]
    assert " PASSED (" in verdict(result) and ", 0 failed, 0 errors, " in verdict(result)
    report = (repo / verdict(result).rsplit("reports: ", 1)[1]).read_text()
    pytest.LineMatcher(report.splitlines()).fnmatch_lines(
        [
            "| forced analysis moves the counters | POST /api/v1/query answered 200 in "
            "* s; counters moved: latecomer_query_seconds_count +1 |",
            "| cached analysis answers within budget | the repeated GET /api/v1/query: "
            "median * s within the 0.3 s budget (samples: *); the contract names no cache counter "
            "(cache.counters), so hits were not counted |",
        ]
    )
    assert "cache hits moved" not in report
    assert "  test session: sandbox-session (from sandbox.test_session in the contract" in (
        result.stdout
    )


def test_a_late_family_and_misnamed_counters_fail_naming_what_to_do(drafted, tmp_path):
    repo = tmp_path / "latecomer"
    shutil.copytree(drafted.repo, repo)
    required = drafted.draft.replace(LATE, LATE.replace("# ", "", 1))
    action = ACTION.replace(
        "    - {metric: latecomer_query_seconds_count}",
        "    - {metric: latecomer_query_second_count}\n"
        "    - {metric: latecomer_query_seconds_created}",
    )
    (repo / CONTRACT).write_text(required + action)
    result = gate(repo, "--sandbox")
    assert result.returncode == 1
    failed = sorted(line.split("::")[-1].split(" ")[0] for line in result.stdout.splitlines()
                    if line.startswith("FAILED "))  # fmt: skip
    assert failed == [ANALYSIS, PRESENCE]
    pytest.LineMatcher(result.stdout.splitlines()).fnmatch_lines(
        [
            "latecomer_tsdb_head_series (gauge) is not exposed",
            "*",
            "2 counter(s) of analysis.counters not exposed after POST /api/v1/query: "
            "latecomer_query_second_count, latecomer_query_seconds_created",
            "  latecomer_query_second_count: not exposed (before absent, after absent); closest "
            "names exposed: latecomer_query_seconds_count, *",
            "  latecomer_query_seconds_created: not exposed (before absent, after absent); "
            "latecomer_query_seconds_created is the time latecomer_query_seconds was created, "
            "not a count: name latecomer_query_seconds_count",
        ]
    )
    assert "code path" not in result.stdout
