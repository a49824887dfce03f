"""5. Start-up: the plugin's cost when pytest starts, and no google-cloud-* on a URL-only run.

``pytest --collect-only --service-url=...`` of the gate against bare pytest on an empty folder
(without the plugin): the plugin's added start-up must stay under 0.3 s.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from bench.common import PYTHON, Figure, gate_checkout, side_by_side

TARGET = 0.3
RUNS = 7
URL = "--service-url=https://my-service-abc-ew.a.run.app"


def pytest(cwd: Path, *args: str) -> None:
    subprocess.run(
        [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=cwd,
        capture_output=True,
        check=False,
    )


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
    with gate_checkout() as root, tempfile.TemporaryDirectory() as empty:
        times = side_by_side(
            {
                # The same pytest.ini options as the gate's, without the plugin.
                "bare": lambda: pytest(
                    Path(empty), "-p", "no:cloudrun_acceptance", "-p", "no:anyio"
                ),
                "gate": lambda: pytest(root, "--collect-only", URL),
            },
            RUNS,
        )
        google, plugin_import = imports(root)
    added = times["gate"] - times["bare"]
    return [
        Figure(
            "start-up",
            "gate --collect-only - bare pytest",
            f"{added:.3f} s ({times['gate']:.2f} s vs {times['bare']:.2f} s)",
            f"<= {TARGET} s",
            added <= TARGET,
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
