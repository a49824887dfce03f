"""7. The pre-flight of a source tree, and what a large ignored folder costs it.

Two trees, side by side: a service's source (2,000 Python files in 100 packages, a Dockerfile,
requirements, env.yaml, a .gcloudignore), and the same tree with a 30,000-file .venv that the
.gcloudignore leaves out, as a developer's checkout has. gcloud does not look inside a folder it
leaves out, and neither does the pre-flight: the .venv should cost next to nothing. Target: the
tree with the .venv at most 1.5 times the tree without it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.common import Figure, side_by_side
from cloudrun_acceptance.config.envfile import read_env_entries
from cloudrun_acceptance.model.contract import PreflightRules
from cloudrun_acceptance.preflight.tree import read_tree

TARGET = 1.5
RUNS = 5
RULES = PreflightRules(app_dir="src")


def source(root: Path, *, venv: bool) -> Path:
    """The service's source tree, with or without a .venv beside it."""
    root.mkdir(parents=True)
    (root / "Dockerfile").write_text("FROM python:3.11-slim\nCMD exec uvicorn app:app\n")
    (root / "requirements.txt").write_text("prometheus-client>=0.20\n")
    (root / "env.yaml").write_text('FLAG: "true"\n')
    (root / ".gcloudignore").write_text(".gcloudignore\n.git\n.venv/\n__pycache__/\n")
    for package in range(100):
        folder = root / "src" / f"pkg{package}"
        folder.mkdir(parents=True)
        for module in range(20):
            (folder / f"m{module}.py").write_text("x = 1\n" * 20)
    if venv:
        for package in range(300):
            folder = root / ".venv" / "lib" / f"dist{package}"
            folder.mkdir(parents=True)
            for module in range(100):
                (folder / f"f{module}.py").write_text("y = 2\n")
    return root


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="preflight-bench-") as tmp:
        plain = source(Path(tmp) / "plain", venv=False)
        heavy = source(Path(tmp) / "heavy", venv=True)

        def read(root: Path) -> None:
            read_tree(
                root, required_paths=RULES.required_paths, env=read_env_entries(root / "env.yaml")
            )

        times = side_by_side({"plain": lambda: read(plain), "heavy": lambda: read(heavy)}, RUNS)
        uploaded = len(
            read_tree(
                heavy, required_paths=RULES.required_paths, env=read_env_entries(heavy / "env.yaml")
            ).upload.files
        )
    ratio = times["heavy"] / times["plain"]
    return [
        Figure(
            "pre-flight",
            "source tree of 2,004 files",
            f"{times['plain'] * 1000:.0f} ms ({uploaded} files uploaded)",
            "reported",
            None,
        ),
        Figure(
            "pre-flight",
            "the same with a 30,000-file .venv left out / without it",
            f"{ratio:.2f} ({times['heavy'] * 1000:.0f} ms / {times['plain'] * 1000:.0f} ms)",
            f"<= {TARGET} (a folder left out is not walked)",
            ratio <= TARGET,
        ),
    ]
