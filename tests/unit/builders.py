"""Values the unit tests build again and again: a described service, a run record, a check."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cloudrun_acceptance.config.envfile import read_env_entries
from cloudrun_acceptance.model.contract import PreflightRules
from cloudrun_acceptance.model.preflight import SourceTree
from cloudrun_acceptance.model.service import (
    RevisionFacts,
    RevisionSummary,
    SecretMount,
    ServiceFacts,
    ServiceRef,
    TrafficRow,
)
from cloudrun_acceptance.model.target import Target
from cloudrun_acceptance.preflight.tree import read_tree
from cloudrun_acceptance.report.record import CheckResult, RunRecord

REVISION = "svc-00002-abc"
TRAFFIC = (TrafficRow(REVISION, 90, latest=True), TrafficRow("svc-00001-xyz", 10, tag="old"))


def service_facts(
    *,
    traffic: Iterable[TrafficRow] = TRAFFIC,
    uri: str = "https://svc.run.app",
    history: tuple[RevisionSummary, ...] = (),
    **revision: Any,
) -> ServiceFacts:
    """Service ``svc`` in project ``p``, region ``r``, checking ``svc-00002-abc`` (90% of traffic)."""
    defaults = {
        "name": REVISION,
        "env": {"A": "true", "TOKENISH": "s3cr3t-value"},
        "secrets": {"KEY": SecretMount("KEY", "5")},
        "resources": {"cpu": "2000m", "memory": "4096Mi", "timeout_seconds": "600"},
    }
    return ServiceFacts(
        ref=ServiceRef("p", "r", "svc"),
        uri=uri,
        urls=(),
        latest_ready=REVISION,
        latest_created=REVISION,
        traffic=tuple(traffic),
        revision=RevisionFacts(**{**defaults, **revision}),
        history=history,
    )


def run_record(*results: CheckResult, **extra: Any) -> RunRecord:
    """A run of the gate against https://svc.a.run.app, with these results."""
    target = Target(url="https://svc.a.run.app", url_origin="--service-url (command line)")
    run = RunRecord(
        target=target,
        contract=None,
        facts=None,
        started=datetime(2026, 11, 25, 10, tzinfo=UTC),
        **extra,
    )
    run.results = {result.nodeid: result for result in results}
    return run


def check_result(name: str, outcome: str, **extra: Any) -> CheckResult:
    """The result of the check ``name`` of tests/acceptance/test_x.py."""
    return CheckResult(f"tests/acceptance/test_x.py::{name}", outcome, **extra)


def source_tree(
    root: Path, cmd: str, requirements: str = "prometheus-client==0.21.1\n"
) -> SourceTree:
    """A source tree with src/backend/main.py, a Dockerfile ending with ``cmd``, requirements."""
    (root / "src/backend").mkdir(parents=True, exist_ok=True)
    (root / "src/backend/main.py").write_text("app = None\n")
    (root / "Dockerfile").write_text(f"FROM python:3.11-slim\n{cmd}\n")
    (root / "requirements.txt").write_text(requirements)
    env = read_env_entries(root / "env.yaml")
    return read_tree(root, required_paths=PreflightRules().required_paths, env=env)
