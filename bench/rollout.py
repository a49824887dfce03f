"""10. The rollout in steps: the gate's own cost per step, beyond the bake it waits out.

The gate runs in a user's virtualenv against a sandbox with users' traffic (the
``rollout_candidate`` profile: a good candidate, its users' requests routed by the split), with
``--rollout=25,50,100`` and a short bake. Per step, from the run's JUnit file: the step check's
time less its bake (the traffic update, its operation and reconcile, the read-back, the request
logs' listing until two reads agree, the judge), and the Logging API requests (pages) it took.
The step at 100% is set and not baked: its time is the traffic update's alone. Reported, not a
target: the sandbox's Logging API pages at 10 entries (the real one at up to 1000), so its reads
take more requests than a real one.
"""

from __future__ import annotations

import statistics
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from bench.common import Figure, gate_arguments, gate_checkout, run_gate, sandbox
from bench.uservenv import user_python
from cloudrun_acceptance.sandbox.faults import behaviour_for

BAKE_SECONDS = 2.0
STEPS = "25,50,100"
RUNS = 3


def _contract(root: Path) -> None:
    """The gate's contract with a short bake and no comparison (judged apart, bench/compare)."""
    path = root / "tests/acceptance/contract.yaml"
    contract = yaml.safe_load(path.read_text())
    del contract["compare"]
    contract["rollout"].update(bake_seconds=BAKE_SECONDS, min_requests=30)
    path.write_text(yaml.safe_dump(contract, sort_keys=False))


def _steps(junit: Path) -> dict[str, tuple[float, dict[str, str]]]:
    """Each step check's time and properties."""
    found = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = case.get("name", "")
        if name.startswith("test_rollout_step["):
            properties = {
                p.get("name", "").removeprefix("cloudrun_acceptance."): p.get("value", "")
                for p in case.iter("property")
            }
            found[name] = (float(case.get("time", "0")), properties)
    return found


def run() -> list[Figure]:
    user = user_python()
    beyond: dict[str, list[float]] = {}
    pages: dict[str, list[int]] = {}
    walls = []
    with gate_checkout() as root:
        _contract(root)
        for _ in range(RUNS):
            with (
                sandbox(0.05, behaviour_for(["rollout_candidate"])) as running,
                tempfile.TemporaryDirectory() as reports,
            ):
                junit = Path(reports) / "gate.xml"
                started = time.monotonic()
                run_gate(
                    root,
                    [
                        *gate_arguments(running),
                        "--tag",
                        "candidate",
                        f"--rollout={STEPS}",
                        f"--junit-xml={junit}",
                    ],
                    python=user,
                )
                walls.append(time.monotonic() - started)
                for name, (seconds, properties) in _steps(junit).items():
                    baked = 0.0 if name.endswith("[100%]") else BAKE_SECONDS
                    beyond.setdefault(name, []).append(seconds - baked)
                    pages.setdefault(name, []).append(
                        int(properties.get("Logging API requests", 0))
                    )
    figures = []
    for name, values in beyond.items():
        median = statistics.median(values)
        share = name.partition("[")[2].removesuffix("]")
        figures.append(
            Figure(
                "rollout",
                f"step {share}: time beyond the bake, median of {RUNS}",
                f"{median:.2f} s (max {max(values):.2f} s; Logging API requests "
                f"{statistics.median(pages[name]):g})",
                "reported",
                None,
            )
        )
    figures.append(
        Figure(
            "rollout",
            f"whole gate with --rollout={STEPS}, bake {BAKE_SECONDS:g} s, median of {RUNS}",
            f"{statistics.median(walls):.2f} s",
            "reported",
            None,
        )
    )
    return figures
