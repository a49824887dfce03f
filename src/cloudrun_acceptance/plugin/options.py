"""The option table as pytest sees it: a ``--help`` section per group, an ini key per option
(``cloudrun_project``), and the deprecated bare ini names (``project``) registered beside them
(plugin/inivalues.py reads them, with a warning)."""

from __future__ import annotations

import inspect

import pytest

from ..config.options import GROUPS, OPTIONS, OptionSpec
from ..config.values import CONTRACT_STEPS


def add_options(parser: pytest.Parser) -> None:
    """One command-line option and (mostly) one ini key per entry of the option table."""
    groups = {
        name: parser.getgroup(f"cloudrun-acceptance-{name}", title)
        for name, title in GROUPS.items()
    }
    aliases = "aliases" in inspect.signature(parser.addini).parameters  # pytest 9
    for spec in OPTIONS:
        group = groups[spec.group]
        if spec.kind == "flag":
            group.addoption(
                spec.flag, dest=spec.dest, action="store_true", default=False, help=spec.help
            )
        elif spec.kind == "steps":
            group.addoption(
                spec.flag,
                dest=spec.dest,
                nargs="?",
                const=CONTRACT_STEPS,
                default=None,
                metavar=spec.metavar,
                help=spec.help,
            )
        elif spec.kind == "multi":
            group.addoption(
                spec.flag,
                dest=spec.dest,
                action="append",
                default=None,
                metavar=spec.metavar,
                help=spec.help,
            )
        else:
            group.addoption(
                spec.flag, dest=spec.dest, default=None, metavar=spec.metavar, help=spec.help
            )
        if spec.ini:
            _add_ini(parser, spec, aliases=aliases)


def _add_ini(parser: pytest.Parser, spec: OptionSpec, *, aliases: bool) -> None:
    kind = spec.ini_type
    default = False if kind == "bool" else ""
    old = spec.old_ini_key
    if old is None:
        parser.addini(spec.ini_key, help=spec.help, type=kind, default=default)
    elif aliases:  # pytest 9: the old name reads the same value, and --help lists only the new
        parser.addini(spec.ini_key, help=spec.help, type=kind, default=default, aliases=[old])
    else:
        parser.addini(spec.ini_key, help=spec.help, type=kind, default=default)
        parser.addini(old, help=f"deprecated: {spec.ini_key}", type=kind, default=default)
