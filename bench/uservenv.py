"""The virtualenv a user has: the gate installed as a user installs it (``pip install
'cloudrun-acceptance[sandbox]'``, no development extras), beside the development one.

The development virtualenv holds hypothesis, whose pytest plugin alone costs about a second at
every pytest start-up, and xdist, mypy, ruff: a gate figure measured there is not a user's.
The user's virtualenv lives in .bench/user-venv; it is made once, and the gate itself is
reinstalled from the working tree at every run (without its dependencies, which change rarely).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV = REPO / ".bench" / "user-venv"


def user_python() -> str:
    """The user virtualenv's python, with the working tree's gate installed in it."""
    python = VENV / "bin" / "python"
    stamp = VENV / ".dependencies"
    wanted = hashlib.sha256((REPO / "pyproject.toml").read_bytes()).hexdigest()
    if not python.exists():
        _run(sys.executable, "-m", "venv", str(VENV))
        _run(str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    if not stamp.exists() or stamp.read_text() != wanted:
        _run(str(python), "-m", "pip", "install", "--quiet", f"{REPO}[sandbox]")
        stamp.write_text(wanted)
    else:
        # The working tree's gate, every run: a wheel built now, not an editable link.
        _run(
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--force-reinstall",
            str(REPO),
        )
    return str(python)


def extras(python: str) -> list[str]:
    """The development packages a virtualenv holds (none, in a user's)."""
    done = subprocess.run(
        [python, "-m", "pip", "list", "--format=freeze"], capture_output=True, text=True, check=True
    )
    development = {"hypothesis", "pytest-xdist", "mypy", "ruff", "import-linter"}
    names = {line.split("==")[0].lower() for line in done.stdout.splitlines()}
    return sorted(names & development)


def _run(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
