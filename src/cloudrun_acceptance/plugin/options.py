"""The option table as pytest sees it: a ``--help`` section per group, an ini key per option
(``cloudrun_project``), and the deprecated bare ini names (``project``) read with a warning."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from ..config.options import GROUPS, OPTIONS, OptionSpec
from ..config.values import CONTRACT_STEPS
from ..model.errors import ConfigError

# The release that drops the bare ini names.
OLD_INI_KEYS_GO = "0.3.0"


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


def ini_values(config: pytest.Config) -> tuple[dict[str, str], dict[str, str]]:
    """Each ini setting's value as text ("" when unset; a flag's ``true`` or ""), keyed by its
    option's ``dest``; and the key each was read from, as written."""
    written = written_ini_keys(config)
    values: dict[str, str] = {}
    keys: dict[str, str] = {}
    for spec in OPTIONS:
        if not spec.ini:
            continue
        old = spec.old_ini_key
        key = old if old in written and spec.ini_key not in written else spec.ini_key
        try:
            values[spec.dest] = _text(config.getini(key))
        except (pytest.UsageError, ValueError) as err:  # pytest's words: invalid truth value
            where = str(config.inipath) if config.inipath else "the ini file"
            raise ConfigError(
                f"{key} in {where} is not a flag value ({err}); write {key} = true, or false"
            ) from err
        keys[spec.dest] = key
    return values, keys


def warn_old_ini_keys(config: pytest.Config) -> None:
    """A DeprecationWarning per bare ini name in the ini file: the old key, the new, the file."""
    written = written_ini_keys(config)
    where = str(config.inipath) if config.inipath else "the ini file"
    for spec in OPTIONS:
        old = spec.old_ini_key
        if not spec.ini or old is None or old not in written:
            continue
        also = (
            f"; it is ignored, since {spec.ini_key} is set too" if spec.ini_key in written else ""
        )
        config.issue_config_time_warning(
            DeprecationWarning(
                f"the ini key {old} in {where} is the deprecated name of {spec.ini_key}{also}; "
                f"rename it {spec.ini_key} (cloudrun-acceptance upgrade renames it): the bare "
                f"names go in cloudrun-acceptance {OLD_INI_KEYS_GO}"
            ),
            stacklevel=2,
        )


def written_ini_keys(config: pytest.Config) -> set[str]:
    """The keys the ini file (and ``-o``) set, as written.

    pytest reads an alias's value under its canonical name and has no public way to tell which
    of the two was written; its record of the file's keys is ``Config._inicfg`` (pytest 9) or
    ``Config.inicfg`` (pytest 8), read here and nowhere else."""
    found: Any = getattr(config, "_inicfg", None)
    if found is None:
        found = getattr(config, "inicfg", {})
    return {str(key) for key in found}


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else ""
    return str(value)
