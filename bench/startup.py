"""5. Start-up: the plugin's cost when pytest starts, and no google-cloud-* on a URL-only run.

``pytest --collect-only --service-url=...`` of the gate against bare pytest on an empty folder
(without the plugin): the plugin's added start-up must stay under 0.3 s in a user's virtualenv
(the development one's, with hypothesis's plugin, is reported beside it).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from bench.common import PYTHON, USER_ENV, Figure, gate_checkout, side_by_side, venv_figure
from bench.uservenv import extras, user_python

TARGET = 0.3
RUNS = 7
URL = "--service-url=https://my-service-abc-ew.a.run.app"


def pytest(cwd: Path, *args: str, python: str = PYTHON) -> None:
    subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=cwd,
        capture_output=True,
        check=False,
        env=USER_ENV,
    )


def forget_rewrites(python: str) -> None:
    """Remove the plugin's modules as pytest rewrote and cached them: a run after install."""
    site = subprocess.run(
        [
            python,
            "-c",
            "import cloudrun_acceptance, os; print(os.path.dirname(cloudrun_acceptance.__file__))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    for cached in Path(site).rglob("*-pytest-*.pyc"):
        cached.unlink()


def imports(cwd: Path) -> tuple[list[str], float]:
    """Modules named google.cloud* imported by a URL-only collect, and our modules' own import time."""
    done = subprocess.run(
        [
            PYTHON,
            "-X",
            "importtime",
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            URL,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    google = sorted({m for m in re.findall(r"\|\s+(google\.cloud\S*)", done.stderr)})
    own = re.findall(r"import time:\s+(\d+) \|\s+\d+ \|\s+cloudrun_acceptance\b", done.stderr)
    return google, sum(map(int, own)) / 1e6


def run() -> list[Figure]:
    user = user_python()
    pythons = {"user": user, "dev": PYTHON}
    with gate_checkout() as root, tempfile.TemporaryDirectory() as empty:
        fns = {}
        for venv, python in pythons.items():
            # The same pytest.ini options as the gate's, without the plugin.
            fns[f"bare ({venv})"] = lambda p=python: pytest(
                Path(empty), "-p", "no:cloudrun_acceptance", "-p", "no:anyio", python=p
            )
            fns[f"gate ({venv})"] = lambda p=python: pytest(root, "--collect-only", URL, python=p)
        times = side_by_side(fns, RUNS)
        google, plugin_import = imports(root)

        def first_run() -> None:
            forget_rewrites(user)
            pytest(root, "--collect-only", URL, python=user)

        first = side_by_side({"first": first_run, "again": fns["gate (user)"]}, 3)
    figures = []
    for venv in pythons:
        added = times[f"gate ({venv})"] - times[f"bare ({venv})"]
        figures.append(
            venv_figure(
                "start-up",
                f"gate --collect-only - bare pytest, {venv} venv",
                f"{added:.3f} s ({times[f'gate ({venv})']:.2f} s vs {times[f'bare ({venv})']:.2f} s)",
                venv,
                f"<= {TARGET} s",
                added <= TARGET,
            )
        )
    extra = extras(PYTHON)
    figures += [
        Figure(
            "start-up",
            "the first gate run after install - the next ones, user venv",
            f"+{first['first'] - first['again']:.3f} s ({first['first']:.2f} s vs "
            f"{first['again']:.2f} s: pytest rewrites the plugin's modules once, then caches them)",
            "reported",
            None,
        ),
        Figure(
            "start-up",
            "development packages in the user venv / in the dev venv",
            f"{', '.join(extras(user)) or 'none'} / {', '.join(extra) or 'none'}",
            "none in the user venv",
            not extras(user),
        ),
        Figure(
            "start-up",
            "cloudrun_acceptance modules' import time (-X importtime)",
            f"{plugin_import:.3f} s",
            "reported",
            None,
        ),
        Figure(
            "start-up",
            "google.cloud modules imported by a --service-url run",
            ", ".join(google) or "none",
            "none",
            not google,
        ),
    ]
    return figures
