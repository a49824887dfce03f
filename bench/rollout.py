"""10. The rollout in steps: the gate's own cost per step, beyond the bake it waits out.

The gate runs in a user's virtualenv against a sandbox with users' traffic (the
``rollout_candidate`` profile: a good candidate, its users' requests routed by the split), with
``--rollout=25,50,100``. Each step's window is judged every ``LOOK_SECONDS`` and ends as soon
as the sequential judge decides (no minimum bake here), within a bake of ``BAKE_SECONDS``. Per
step, from the run's JUnit file: the step check's time less the wait of its looks (each look
waits until its time, ``looks`` times ``LOOK_SECONDS``, the bake's end with its holds at the
latest): the traffic update, its operation and reconcile, the read-back, the last look's
read of the request logs (from ``rollout.ingestion_seconds`` before the look before's end),
the judge, Cloud Monitoring's counts and latencies; and the Logging API requests (pages) its
looks took, the looks, and how it ended. The step at 100% is set and not baked: its time is
the traffic update's alone. Reported, not a target.
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
from cloudrun_acceptance.sandbox.faults.profiles import behaviour_for

BAKE_SECONDS = 30.0
LOOK_SECONDS = 2.0
STEPS = "25,50,100"
RUNS = 3


def _contract(root: Path) -> None:
    """The gate's contract with short looks, steps that end as soon as they are decided, and no
    comparison (judged apart, bench/compare). The sandbox's users' traffic began with it: the
    rollout proceeds whatever the last bake's traffic forecasts."""
    path = root / "tests/acceptance/contract.yaml"
    contract = yaml.safe_load(path.read_text())
    del contract["compare"]
    contract["rollout"].update(
        bake_seconds=BAKE_SECONDS,
        look_seconds=LOOK_SECONDS,
        min_bake_seconds=0,
        min_requests=30,
        on_low_traffic="proceed",
    )
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


def waited(name: str, properties: dict[str, str]) -> float:
    """The seconds a step's looks waited out: each look waits until its time (``looks`` times
    LOOK_SECONDS), the bake's end with its holds at the latest; none at 100% (not baked)."""
    if name.endswith("[100%]"):
        return 0.0
    looks = int(properties.get("looks", 0))
    holds = int(properties.get("holds", 0))
    return min(looks * LOOK_SECONDS, (1 + holds) * BAKE_SECONDS)


def run() -> list[Figure]:
    user = user_python()
    beyond: dict[str, list[float]] = {}
    pages: dict[str, list[int]] = {}
    looks: dict[str, list[int]] = {}
    endings: dict[str, set[str]] = {}
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
                    beyond.setdefault(name, []).append(seconds - waited(name, properties))
                    pages.setdefault(name, []).append(
                        int(properties.get("Logging API requests", 0))
                    )
                    looks.setdefault(name, []).append(int(properties.get("looks", 0)))
                    if ended := properties.get("ended"):
                        endings.setdefault(name, set()).add(ended)
    figures = []
    for name, values in beyond.items():
        median = statistics.median(values)
        share = name.partition("[")[2].removesuffix("]")
        ended = "".join(f", ended {how}" for how in sorted(endings.get(name, ())))
        figures.append(
            Figure(
                "rollout",
                f"step {share}: time beyond the wait of its looks, median of {RUNS}",
                f"{median:.2f} s (max {max(values):.2f} s; Logging API requests "
                f"{statistics.median(pages[name]):g}, looks {statistics.median(looks[name]):g}"
                f"{ended})",
                "reported",
                None,
            )
        )
    figures.append(
        Figure(
            "rollout",
            f"whole gate with --rollout={STEPS}, looks every {LOOK_SECONDS:g} s, bake "
            f"{BAKE_SECONDS:g} s at most, median of {RUNS}",
            f"{statistics.median(walls):.2f} s",
            "reported",
            None,
        )
    )
    return figures
