"""1. The gate against the runbook's manual procedure, same sandbox, same analysis duration.

The gate checks strictly more (revision, env, secrets, traffic, logs, lint, every metric's type),
yet must take at most 0.8 of the procedure's wall time: it polls where the runbook sleeps.
"""

from __future__ import annotations

from bench.common import (
    Figure,
    gate_arguments,
    gate_checkout,
    run_gate,
    run_manual,
    sandbox,
    side_by_side,
)

TARGET = 0.8
DURATIONS = (1.0, 6.0)  # the sandbox's default, and the real service's
RUNS = 3


def run() -> list[Figure]:
    figures = []
    with gate_checkout() as root:
        for duration in DURATIONS:
            with sandbox(duration) as running:
                arguments = gate_arguments(running)
                times = side_by_side(
                    {
                        "gate": lambda arguments=arguments: run_gate(root, arguments),
                        "manual": lambda url=running.service_url: run_manual(url),
                    },
                    RUNS if duration < 5 else 2,
                )
            ratio = times["gate"] / times["manual"]
            figures.append(
                Figure(
                    "gate vs manual",
                    f"gate / procedure, analysis {duration:g} s",
                    f"{ratio:.2f} ({times['gate']:.2f} s / {times['manual']:.2f} s)",
                    f"<= {TARGET}",
                    ratio <= TARGET,
                )
            )
    return figures
