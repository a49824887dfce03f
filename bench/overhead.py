"""2. The gate's overhead over the critical path (the service's own time), at three durations.

Critical path: the forced analysis plus the cache samples, as the service spent them. The overhead
must stay under 1.5 s and must not grow with the duration (the gate polls, it never sleeps).
"""

from __future__ import annotations

from bench.common import Figure, gate_arguments, gate_checkout, median_time, run_gate, sandbox

TARGET = 1.5
DURATIONS = (0.5, 2.0, 6.0)
SAMPLES = 3  # the contract's cache samples; a cache hit costs about a millisecond here
RUNS = 3


def run() -> list[Figure]:
    figures = []
    overheads = []
    with gate_checkout() as root:
        for duration in DURATIONS:
            with sandbox(duration) as running:
                arguments = gate_arguments(running)
                wall = median_time(
                    lambda arguments=arguments: run_gate(root, arguments),
                    RUNS if duration < 5 else 2,
                )
            overhead = wall - duration
            overheads.append(overhead)
            figures.append(
                Figure(
                    "overhead",
                    f"gate - critical path, analysis {duration:g} s",
                    f"{overhead:.2f} s (wall {wall:.2f} s)",
                    f"<= {TARGET} s",
                    overhead <= TARGET,
                )
            )
    growth = overheads[-1] - overheads[0]
    figures.append(
        Figure(
            "overhead",
            f"overhead growth from {DURATIONS[0]:g} s to {DURATIONS[-1]:g} s",
            f"{growth:+.2f} s",
            "~0 (polling, not sleeping)",
            abs(growth) <= 0.3,
        )
    )
    return figures
