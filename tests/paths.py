"""Where the tests find the repository and the gate it ships."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHIPPED_CONTRACT = REPO / "tests/acceptance/contract.yaml"
