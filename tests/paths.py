"""Where the tests find the repository, the gate it ships, and recorded fixtures."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHIPPED_CONTRACT = REPO / "tests/acceptance/contract.yaml"
# Real expositions (Prometheus 2.42 and node_exporter 1.5 on loopback) and what promtool 2.42
# printed for each, recorded once from Debian's packages: the tests need neither installed.
EXPOSITIONS = REPO / "tests/fixtures/expositions"
