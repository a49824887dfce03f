"""6. Load put on production: the requests one gate run sends, by endpoint, counted by the sandbox."""

from __future__ import annotations

from bench.common import REPO, Figure, gate_arguments, gate_checkout, run_gate, sandbox
from cloudrun_acceptance.config.contract import load_contract

MAX_SCRAPES = 15


def run() -> list[Figure]:
    cache = load_contract(REPO / "tests/acceptance/contract.yaml").cache
    samples = cache.samples if cache else 0
    with gate_checkout() as root, sandbox(1.0) as running:
        run_gate(root, gate_arguments(running))
        served = running.requests_served()
        analyses = running.analyses()
        pages = running.logging_api.pages_served if running.logging_api else 0
    scrapes = served.get("GET /api/metrics", 0)
    listing = ", ".join(f"{key} {count}" for key, count in sorted(served.items()))
    return [
        Figure(
            "load",
            "forced analyses per run",
            str(analyses.get("forced", 0)),
            "exactly 1",
            analyses.get("forced", 0) == 1,
        ),
        Figure(
            "load",
            "cache-hit calls per run",
            str(analyses.get("unforced", 0)),
            f"<= {samples} (samples)",
            analyses.get("unforced", 0) <= samples,
        ),
        Figure(
            "load",
            "metrics scrapes per run",
            str(scrapes),
            f"<= {MAX_SCRAPES}",
            scrapes <= MAX_SCRAPES,
        ),
        Figure("load", "all requests to the service", listing, "reported", None),
        Figure("load", "Logging API pages read", str(pages), "reported", None),
    ]
