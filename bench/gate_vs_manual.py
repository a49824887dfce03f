"""1. The gate against the runbook by hand, same sandbox, same analysis duration.

Two procedures: the runbook's curl half (bench/manual_procedure.sh), and the whole runbook
(bench/manual_runbook.sh: the curl half, then gcloud's revisions list and describe and logging
read, with the real gcloud pointed at the sandbox). Each is set against the gate run that does
its part: the curl half against ``--service-url`` (health, metrics, the analysis and the cache,
and the lint and every metric's type besides), the whole runbook against the gate with the
revision and logs checks. The gate must take at most 0.8 of the procedure's wall time in a
user's virtualenv (it polls where the runbook sleeps). The same figures in the development
virtualenv are reported beside them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

from bench.common import (
    PYTHON,
    Figure,
    gate_arguments,
    gate_checkout,
    run_gate,
    run_manual,
    run_runbook,
    sandbox,
    side_by_side,
    url_arguments,
    venv_figure,
)
from bench.uservenv import user_python

TARGET = 0.8
DURATIONS = (1.0, 6.0)  # the sandbox's default, and the real service's
RUNS = 3
# Each procedure, and the gate run that does its part.
GATE_FOR = {"curl half": url_arguments, "whole runbook": gate_arguments}
GATE_NAMES = {"curl half": " --service-url", "whole runbook": ""}


def run() -> list[Figure]:
    figures = []
    user = user_python()
    whole = shutil.which("gcloud") is not None
    with gate_checkout() as root:
        for duration in DURATIONS:
            with sandbox(duration) as running:
                fns: dict[str, Callable[[], object]] = {}
                for procedure, arguments in GATE_FOR.items():
                    given = arguments(running)
                    for venv, python in (("user", user), ("dev", PYTHON)):
                        fns[f"{procedure} gate ({venv})"] = lambda a=given, p=python: run_gate(
                            root, a, python=p
                        )
                fns["curl half"] = lambda url=running.service_url: run_manual(url)
                if whole:
                    fns["whole runbook"] = lambda r=running: run_runbook(r)
                times = side_by_side(fns, RUNS if duration < 5 else 2)
            for procedure in [name for name in ("curl half", "whole runbook") if name in times]:
                for venv in ("user", "dev"):
                    gate = times[f"{procedure} gate ({venv})"]
                    ratio = gate / times[procedure]
                    figures.append(
                        venv_figure(
                            "gate vs manual",
                            f"gate{GATE_NAMES[procedure]} ({venv} venv) / {procedure}, "
                            f"analysis {duration:g} s",
                            f"{ratio:.2f} ({gate:.2f} s / {times[procedure]:.2f} s)",
                            venv,
                            f"<= {TARGET}",
                            ratio <= TARGET,
                        )
                    )
    if not whole:
        figures.append(
            Figure("gate vs manual", "whole runbook", "not run: gcloud is not installed", "-", None)
        )
    return figures
