"""4. Latency fidelity: the gate's measured cache latency minus the delay the sandbox injects.

A 0.3 s budget must be judged on the service, not on the client: the median error must stay
within 3 ms on loopback. The sandbox runs in its own process, as a deployed service does.

The error has two parts, told apart by curl samples of the same requests, interleaved: the
service's (the sandbox's handling, and the wake-up after its sleep, which curl sees too) and the
gate client's own (gate minus curl).
"""

from __future__ import annotations

import json
import statistics
import subprocess

from bench.common import Figure, sandbox_process
from cloudrun_acceptance.probe.client import ServiceClient
from cloudrun_acceptance.sandbox.platform.deployment import SESSION_ID

TARGET_MS = 3.0
DELAYS = (0.05, 0.1, 0.25, 0.3)
SAMPLES = 20
CACHED = {"session_id": SESSION_ID, "force": False}


def curl_seconds(url: str) -> float:
    """curl's time for the same call, without its TCP connect (the gate's connection is warm)."""
    done = subprocess.run(
        [
            "curl",
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{time_connect} %{time_total}",
            "-X",
            "POST",
            "-H",
            "Content-Type: application/json",
            "-d",
            json.dumps(CACHED),
            f"{url}/api/memory/analyze",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    connect, total = map(float, done.stdout.split())
    return total - connect


def run() -> list[Figure]:
    figures = []
    for delay in DELAYS:
        with sandbox_process(f"--cache-delay={delay}") as url:
            client = ServiceClient(url)
            client.post("/api/memory/analyze", json={"session_id": SESSION_ID, "force": True})
            gate, curl = [], []
            for _ in range(SAMPLES):
                gate.append(
                    (client.post("/api/memory/analyze", json=CACHED).elapsed - delay) * 1000
                )
                curl.append((curl_seconds(url) - delay) * 1000)
            client.close()
        median, worst = statistics.median(gate), max(gate)
        own = median - statistics.median(curl)
        figures.append(
            Figure(
                "latency",
                f"measured - injected, {delay * 1000:.0f} ms cache delay",
                f"median {median:.2f} ms, max {worst:.2f} ms (curl {statistics.median(curl):.2f} ms; "
                f"gate's own {own:+.2f} ms)",
                f"median <= {TARGET_MS:g} ms",
                median <= TARGET_MS,
            )
        )
    return figures
