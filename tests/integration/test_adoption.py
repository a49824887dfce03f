"""A team adopts the gate for its own service, as docs/how-to/adopt.md says: the shop
(tests/fixtures/shop), unlike the example in every name. `init` drafts the contract from the
live service and from the local Admin API of a sandbox describing it; `pytest --sandbox`
rehearses every check on the shop itself (revision and logs included); then a run by
--service-url, a custom check, the pre-flight, and profiles that break it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import yaml

from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.config.envfile import load_env_file
from cloudrun_acceptance.model.version import VERSION
from cloudrun_acceptance.sandbox.launch import start_for_contract
from cloudrun_acceptance.sandbox.launcher import Sandbox
from tests.integration.gatekit import UNTAGGED, UNTAGGED_NOT_RUN, compare_skips, not_run
from tests.paths import REPO

SHOP = REPO / "tests/fixtures/shop"
SHOP_CONTRACT = REPO / "tests/fixtures/shop-contract.yaml"
CLI = Path(sys.executable).with_name("cloudrun-acceptance")
# What the team writes into the draft by hand: the action, the cache call, the startup lines.
ACTION = """
analysis:
  method: PUT
  path: /orders/{test_session}
  query: {dry_run: "1"}
  headers: {X-Shop-Client: acceptance-gate}
  form: {item: widget, qty: "2"}
  timeout_seconds: 10
  counters:
    - {metric: shop_orders_placed_total, labels: {channel: api}}
    - {metric: shop_order_items_total, increase_at_least: 2}
cache:
  method: GET
  query: {}
  budget_seconds: 0.3
  counters:
    - {metric: shop_order_cache_hits_total}
"""
STARTUP = """  startup_lines:
    - 'shop \\d+\\.\\d+\\.\\d+: listening on port \\d+'
    - 'shop: catalogue loaded'
"""
CUSTOM_CHECK = """
def test_an_unknown_order_is_a_404(ready_service):
    answer = ready_service.get("/orders/no-such-order")
    assert answer.status_code == 404
    assert answer.json() == {"error": "no such order"}
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def gate(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args, cwd=repo)


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    return next(
        line
        for line in reversed(result.stdout.splitlines())
        if line.startswith("cloudrun-acceptance: ")
    )


def report_of(repo: Path, result: subprocess.CompletedProcess[str]) -> str:
    """The markdown report this run wrote (its verdict line names it)."""
    return (repo / last_line(result).rsplit("reports: ", 1)[1]).read_text()


def assert_comparison_skipped(result: subprocess.CompletedProcess[str], report: str) -> None:
    """The shop's contract (init drafts a compare: section) compares a tagged candidate only:
    outside the candidate flow its 6 checks skip, saying so, and only they."""
    pytest.LineMatcher(result.stdout.splitlines()).fnmatch_lines(
        compare_skips(UNTAGGED), consecutive=True
    )
    assert result.stdout.count("SKIPPED [") == 5, result.stdout[-4000:]  # 2 kinds on one line
    assert not_run(report) == [UNTAGGED_NOT_RUN]


@dataclass
class Adopted:
    """The shop's repository after init and the team's edits, and its deployment (a sandbox)."""

    repo: Path
    deployed: Sandbox
    init: subprocess.CompletedProcess[str]
    draft: str


@pytest.fixture(scope="module")
def adopted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Adopted]:
    where = tmp_path_factory.mktemp("adoption")
    # The shop as deployed: its own sources, run by the sandbox that also serves its Admin API.
    running = where / "deployed"
    shutil.copytree(SHOP, running)
    deployed = start_for_contract(
        load_contract(SHOP_CONTRACT), load_env_file(running / "env.yaml"), source=running
    )
    repo = where / "shop"
    shutil.copytree(SHOP, repo)
    try:
        done = run(
            str(CLI), "init",
            f"--from-url={deployed.service_url}", "--health-path=/healthz",
            "--metrics-path=/internal/metrics", "--rescrape-after=0.1",
            "--from-service", f"--project={deployed.deployment.project}",
            f"--region={deployed.deployment.region}", f"--service={deployed.deployment.service}",
            f"--cloudrun-endpoint={deployed.admin_endpoint}",
            cwd=repo,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        contract = repo / "tests/acceptance/contract.yaml"
        draft = contract.read_text()
        contract.write_text(draft.replace("  # startup_lines:", STARTUP, 1) + ACTION)
        (repo / "tests/acceptance/test_shop_extra.py").write_text(CUSTOM_CHECK)
        yield Adopted(repo, deployed, done, draft)
    finally:
        deployed.stop()


def test_init_drafts_the_contract_from_the_live_service_and_its_revision(adopted):
    out = adopted.init.stdout
    assert f"read  {adopted.deployed.service_url}: 8 metric families at /internal/metrics" in out
    assert "; health /healthz answered 200 text/plain" in out
    assert (
        "read  shop (sandbox-project, europe-west1): revision shop-00003-abc, 2 variables, "
        "1 secrets, 5 resources, 100% of traffic"
    ) in out
    assert "added reports/ to .gitignore" in out
    assert "kept  env.yaml (it exists; the gate compares the revision with it)" in out
    assert "  pytest --project=sandbox-project --region=europe-west1 --service=shop\n" in out
    contract = yaml.safe_load(adopted.draft)
    assert contract["health"] == {
        "path": "/healthz",
        "content_type": "text/plain",
        "body_pattern": "^ok$",
    }
    assert {m["name"] for m in contract["metrics"]["expected"]} == {
        "shop_orders_placed_total",
        "shop_order_items_total",
        "shop_order_cache_hits_total",
        "shop_order_cache_misses_total",
        "shop_orders_rejected_total",
        "shop_checkout_seconds",
        "shop_open_orders",
        "shop_build_info",
    }
    assert (contract["metrics"]["enable_env"], contract["metrics"]["enable_value"]) == (
        "SHOP_METRICS",
        "on",
    )
    assert contract["revision"]["secrets"] == [
        {"env": "SHOP_PAYMENT_KEY", "secret": "shop-payment-key", "version": "3"}
    ]
    assert contract["sandbox"] == {"service": "shop"}
    assert "emergence" not in adopted.draft.lower()
    workflow = yaml.safe_load(
        (adopted.repo / ".github/workflows/cloudrun-acceptance.yml").read_text()
    )
    assert (workflow["env"]["PROJECT_ID"], workflow["env"]["SERVICE_NAME"]) == (
        "sandbox-project",
        "shop",
    )
    deploy = next(
        s for s in workflow["jobs"]["deploy"]["steps"] if s.get("name", "").startswith("Deploy")
    )
    assert "--update-secrets SHOP_PAYMENT_KEY=shop-payment-key:3" in deploy["run"]
    assert "--memory=512Mi" in deploy["run"]
    assert "emergence" not in str(workflow) and "OPENAI" not in str(workflow)


def test_pytest_sandbox_rehearses_every_check_on_the_shop_itself(adopted):
    result = gate(adopted.repo, "--sandbox")
    assert result.returncode == 0, result.stdout[-4000:]
    assert (
        '  sandbox: your own service, `exec python -m shop.server --port "$PORT"`' in result.stdout
    )
    line = last_line(result)
    assert line.startswith("cloudrun-acceptance: shop-00003-abc PASSED (")
    # Every check passes but the comparison's: a tagged candidate's only.
    assert ", 0 failed, 0 errors, 6 skipped)" in line
    report = report_of(adopted.repo, result)
    assert_comparison_skipped(result, report)
    for row in (
        "| health answers | health answered 200 text/plain matching '^ok$' in ",
        "| forced analysis moves the counters | PUT /orders/{test_session} answered 201 in ",
        "| revision env var matches env file · SHOP_METRICS | ",
        "| secret is mounted at pinned version · SHOP_PAYMENT_KEY | ",
        "| startup line is logged · shop: catalogue loaded | ",
        "| gate requests were answered by the revision | ",
        "| an unknown order is a 404 | ",
    ):
        assert row in report, row
    assert "placeholder values, never real ones" in report


def test_a_run_by_service_url_checks_the_live_shop(adopted):
    url = adopted.deployed.service_url
    result = gate(adopted.repo, f"--service-url={url}", "--test-session=order-4711")
    assert result.returncode == 0, result.stdout[-4000:]
    assert (
        f"cloudrun-acceptance {VERSION}: {url} (from --service-url (command line))" in result.stdout
    )
    assert " PASSED (15 passed, 0 failed, 0 errors, " in last_line(result)


def test_the_pre_flight_reads_the_shops_tree(adopted):
    result = gate(adopted.repo, "--preflight=.")
    assert result.returncode == 0, result.stdout[-4000:]
    assert "PASSED (5 passed, 0 failed, 0 errors, 0 skipped" in last_line(result)


def test_an_unquoted_on_fails_the_pre_flight_and_stops_a_service_url_run(adopted, tmp_path):
    repo = tmp_path / "shop"
    shutil.copytree(adopted.repo, repo)
    (repo / "env.yaml").write_text('SHOP_METRICS: on\nSHOP_CURRENCY: "EUR"\n')
    preflight = gate(repo, "--preflight=.")
    assert preflight.returncode == 1
    assert (
        "  env.yaml line 1: SHOP_METRICS: on is read as a boolean, not a string, and gcloud "
        '--env-vars-file takes strings only; quote it: SHOP_METRICS: "on"'
    ) in preflight.stdout
    assert "FAILED (4 passed, 1 failed, 0 errors, 0 skipped" in last_line(preflight)
    by_url = gate(repo, f"--service-url={adopted.deployed.service_url}")
    assert by_url.returncode == 4
    assert by_url.stderr == (
        f"ERROR: env file {repo / 'env.yaml'} (from --env-file's default) line 1: SHOP_METRICS: "
        "on is read as a boolean, not a string, and gcloud --env-vars-file takes strings only; "
        'quote it: SHOP_METRICS: "on".\n\n'
    )
    assert "Traceback" not in by_url.stdout + by_url.stderr


def test_the_platforms_faults_break_the_shop_and_the_references_say_what_they_need(adopted):
    split = gate(adopted.repo, "--sandbox", "--sandbox-fault=traffic_split")
    assert split.returncode == 1
    assert (
        "FAILED cloudrun_acceptance/gate/test_revision.py::test_revision_serves_expected_traffic"
        in split.stdout
    )
    assert "shop-00003-abc serves 50% of traffic, the contract expects 100%" in split.stdout
    assert " passed, 1 failed, 0 errors, 6 skipped)" in last_line(split)
    assert_comparison_skipped(split, report_of(adopted.repo, split))
    reference = gate(adopted.repo, "--sandbox", "--sandbox-fault=metrics_html")
    assert reference.returncode == 4
    assert reference.stderr.startswith(
        "ERROR: sandbox fault 'metrics_html' from --sandbox-fault (command line) changes the "
        "example's reference service, and this contract's sandbox section runs your own service;"
    )


def test_python_m_sandbox_runs_the_shop_and_the_command_it_prints_runs_as_printed(adopted):
    started = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cloudrun_acceptance.sandbox",
            "--contract=tests/acceptance/contract.yaml",
        ],
        cwd=adopted.repo,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert started.stdout is not None
        lines = [started.stdout.readline() for _ in range(6)]
        assert lines[0].startswith("service      http://127.0.0.1:")
        assert '(your own service, `exec python -m shop.server --port "$PORT"`' in lines[0]
        command = lines[5].removeprefix("gate it with ").strip()
        assert command.startswith(
            "pytest --project=sandbox-project --region=europe-west1 --service=shop "
        )
        path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
        result = subprocess.run(
            ["bash", "-c", f"{command} -p no:cacheprovider"],
            cwd=adopted.repo,
            env={**os.environ, "PATH": path},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stdout[-3000:]
        assert ", 0 failed, 0 errors, 6 skipped)" in last_line(result)
        assert_comparison_skipped(result, report_of(adopted.repo, result))
    finally:
        started.terminate()
        assert started.wait(timeout=20) == 0
    service_url = lines[0].split()[1]
    with pytest.raises(httpx.ConnectError):  # the shop stopped with the sandbox
        httpx.get(f"{service_url}/healthz", timeout=2)
