"""The built-in checks as files: the modules of the package's gate/ folder and the names of
their checks, read from their source (nothing is imported), for the plugin that collects them,
the contract's ``checks.skip`` and ``cloudrun-acceptance upgrade``."""

from __future__ import annotations

import ast
from importlib import resources
from pathlib import Path


def gate_modules() -> list[Path]:
    """The package's check modules (cloudrun_acceptance/gate/test_*.py), by name."""
    folder = resources.files("cloudrun_acceptance").joinpath("gate")
    found = [
        Path(str(entry))
        for entry in folder.iterdir()
        if entry.name.startswith("test_") and entry.name.endswith(".py")
    ]
    return sorted(found, key=lambda path: path.name)


def check_names() -> list[str]:
    """Every built-in check's function name."""
    return [name for path in gate_modules() for name in module_check_names(path)]


def module_check_names(path: Path) -> list[str]:
    """The ``test_`` functions of one module ([] when it is not Python that parses)."""
    return [check.name for check in _checks(path)]


def checks_using(fixture: str) -> list[str]:
    """The built-in checks that ask for ``fixture`` by name (their parameters)."""
    return [
        check.name
        for path in gate_modules()
        for check in _checks(path)
        if fixture in {arg.arg for arg in check.args.args}
    ]


def _checks(path: Path) -> list[ast.FunctionDef]:
    """The module's top-level ``test_`` functions, read from its source."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (SyntaxError, UnicodeDecodeError):
        return []
    return [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    ]
