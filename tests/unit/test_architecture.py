"""The import rules of pyproject.toml hold, and breaking one of them fails `make lint`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import REPO

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on the package under ``tree/src``, with the repository's contracts."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", str(REPO / "pyproject.toml")],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree / "src")},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(
        REPO / "src" / "cloudrun_acceptance",
        tmp_path / "src" / "cloudrun_acceptance",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    return tmp_path


def test_the_package_keeps_every_contract(tree):
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        (
            "checks/health.py",
            "from ..probe import client",
            "The package's layers: plugin on top, model at the bottom BROKEN",
        ),
        ("model/verdict.py", "import httpx", "The model is the standard library only BROKEN"),
        (
            "config/settings.py",
            "import pytest",
            "Only the plugin and the reporter know pytest BROKEN",
        ),
        (
            "report/markdown.py",
            "from ..google import admin",
            "Reports are rendered from the model alone BROKEN",
        ),
        ("google/admin.py", "from ..plugin import gate", "Nothing imports the plugin BROKEN"),
        (
            "sandbox/admin/api.py",
            "from ..logging.api import ReadQuota",
            "The sandbox's layers: the launchers on top, the behaviour at the bottom BROKEN",
        ),
        (
            "sandbox/faults/regions.py",
            "from ..launch import start_regions",
            "The fault profiles start nothing: no launcher, server or web framework BROKEN",
        ),
    ],
)
def test_breaking_a_rule_fails_the_lint(tree, module, line, broken):
    path = tree / "src" / "cloudrun_acceptance" / module
    path.write_text(path.read_text() + f"\n{line}  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert broken in result.stdout


def test_no_module_is_much_over_300_lines():
    package = REPO / "src" / "cloudrun_acceptance"
    sizes = {
        str(path.relative_to(package)): len(path.read_text().splitlines())
        for path in package.rglob("*.py")
    }
    assert {name: size for name, size in sizes.items() if size > 320} == {}


def _imported(package: Path) -> dict[str, set[str]]:
    """Each module of ``package`` and the package's modules it imports, in any way: at the top,
    in a function, or for types only."""
    import ast

    names = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    found: dict[str, set[str]] = {}
    for name, path in names.items():
        base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom):
                continue
            where = base[: len(base) - node.level + 1] if node.level else []
            target = ".".join([*where, node.module] if node.module else where)
            for candidate in (target, *(f"{target}.{alias.name}" for alias in node.names)):
                if candidate in names and candidate != name:
                    deps.add(candidate)
        found[name] = deps
    return found


def test_no_two_modules_import_each_other():
    # Not even for types or lazily: one of the two holds what the other needs, or a third does.
    imported = _imported(REPO / "src" / "cloudrun_acceptance")
    both = sorted(
        {tuple(sorted((a, b))) for a, deps in imported.items() for b in deps if a in imported[b]}
    )
    assert both == []
