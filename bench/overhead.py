"""2. The gate's overhead over the critical path (the service's own time), at three durations.

Critical path: the forced analysis plus the cache samples, as the service spent them. In a
user's virtualenv the overhead must stay at most 0.6 s for a --service-url run and 1.0 s with
the revision and logs checks (--project/--region/--service), and must not grow with the duration
(the gate polls, it never sleeps); the development virtualenv's are reported beside them.

Bare pytest (the same interpreter and pytest.ini options, no plugin, nothing to collect) runs
side by side with them: its start-up and exit are part of every overhead and move with the
machine, so the gate's own share (overhead less bare pytest) is reported too.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.common import (
    Figure,
    gate_arguments,
    gate_checkout,
    run_gate,
    sandbox,
    side_by_side,
    url_arguments,
    venv_figure,
)
from bench.startup import pytest as bare_pytest
from bench.uservenv import user_python

TARGETS = {"--service-url": 0.6, "revision and logs": 1.0}
DURATIONS = (0.5, 2.0, 6.0)
RUNS = 3


def run() -> list[Figure]:
    figures = []
    user = user_python()
    overheads: dict[str, list[float]] = {kind: [] for kind in TARGETS}
    with gate_checkout() as root, tempfile.TemporaryDirectory() as empty:
        for duration in DURATIONS:
            with sandbox(duration) as running:
                runs = {
                    "--service-url": url_arguments(running),
                    "revision and logs": gate_arguments(running),
                }
                fns = {
                    "bare": lambda: bare_pytest(
                        Path(empty), "-p", "no:cloudrun_acceptance", "-p", "no:anyio", python=user
                    )
                }
                for kind, arguments in runs.items():
                    fns[f"{kind} (user)"] = lambda a=arguments: run_gate(root, a, python=user)
                    fns[f"{kind} (dev)"] = lambda a=arguments: run_gate(root, a)
                times = side_by_side(fns, RUNS if duration < 5 else 2)
            for kind, target in TARGETS.items():
                for venv in ("user", "dev"):
                    wall = times[f"{kind} ({venv})"]
                    overhead = wall - duration
                    if venv == "user":
                        overheads[kind].append(overhead)
                        figures.append(
                            Figure(
                                "overhead",
                                f"the gate's own share, {kind}, user venv, analysis {duration:g} s",
                                f"{overhead - times['bare']:.2f} s (overhead less bare pytest's "
                                f"{times['bare']:.2f} s)",
                                "reported",
                                None,
                            )
                        )
                    figures.append(
                        venv_figure(
                            "overhead",
                            f"gate - critical path, {kind}, {venv} venv, analysis {duration:g} s",
                            f"{overhead:.2f} s (wall {wall:.2f} s)",
                            venv,
                            f"<= {target} s",
                            overhead <= target,
                        )
                    )
    for kind, values in overheads.items():
        growth = values[-1] - values[0]
        figures.append(
            Figure(
                "overhead",
                f"growth from {DURATIONS[0]:g} s to {DURATIONS[-1]:g} s, {kind}, user venv",
                f"{growth:+.2f} s",
                "~0 (polling, not sleeping)",
                abs(growth) <= 0.3,
            )
        )
    return figures
