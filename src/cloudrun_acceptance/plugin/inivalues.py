"""The gate's ini settings as a run reads them: each value, the key it was written under and
where (the ini file, or ``-o``), and a DeprecationWarning per bare name (``project``).

A setting written under both names is read as pytest 9 reads an aliased key, on pytest 8 too:
a ``-o`` value wins over the file's, then the ``cloudrun_`` name over the bare one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from ..config.options import OLD_INI_KEYS_GO, OPTIONS, OptionSpec
from ..model.errors import ConfigError


@dataclass(frozen=True)
class Written:
    """One key as written: its raw value, and whether ``-o`` gave it (else the ini file)."""

    value: object
    override: bool


@dataclass(frozen=True)
class IniValues:
    """Each ini setting's value as text ("" when unset; a flag's ``true`` or ""), keyed by its
    option's ``dest``; and where each was read from, naming the key as written."""

    values: dict[str, str]
    origins: dict[str, str]


def ini_values(config: pytest.Config) -> IniValues:
    """Every ini setting of the option table; a flag that is not one is a usage error."""
    written = written_ini_keys(config)
    values: dict[str, str] = {}
    origins: dict[str, str] = {}
    for spec in OPTIONS:
        if not spec.ini:
            continue
        key = _read_key(spec, written)
        raw = written.get(key)
        override = raw is not None and raw.override
        origins[spec.dest] = f"-o {key}" if override else f"{key} (in {_name(config)})"
        values[spec.dest] = _value(config, spec, key, raw)
    return IniValues(values, origins)


def warn_old_ini_keys(config: pytest.Config) -> None:
    """A DeprecationWarning per bare name written (in the ini file, or with ``-o``): the new
    name, and what to do in that place. Under warnings made errors (``filterwarnings = error``,
    ``-W error``), a usage error with the same text."""
    written = written_ini_keys(config)
    for spec in OPTIONS:
        old = spec.old_ini_key
        if not spec.ini or old is None or old not in written:
            continue
        text = _deprecated(config, spec, old, written)
        try:
            config.issue_config_time_warning(
                DeprecationWarning(
                    f"{text}: the bare names go in cloudrun-acceptance {OLD_INI_KEYS_GO}"
                ),
                stacklevel=2,
            )
        except DeprecationWarning as err:
            raise ConfigError(str(err)) from err


def written_ini_keys(config: pytest.Config) -> dict[str, Written]:
    """The keys the ini file and ``-o`` set, as written.

    pytest reads an alias's value under its canonical name and has no public way to tell which
    of the two was written; its record of the keys is ``Config._inicfg`` (pytest 9: the file's
    and ``-o``'s, each with its origin) or ``Config.inicfg`` (pytest 8: the file's alone, with
    ``-o`` kept in ``config.option.override_ini``), read here and nowhere else."""
    found: Any = getattr(config, "_inicfg", None)
    if found is not None:
        return {
            str(key): Written(item.value, item.origin == "override") for key, item in found.items()
        }
    written = {str(key): Written(value, False) for key, value in config.inicfg.items()}
    for item in config.option.override_ini or ():  # "key=value"; pytest refused any other form
        key, _, value = str(item).partition("=")
        written[key] = Written(value, True)
    return written


def _read_key(spec: OptionSpec, written: dict[str, Written]) -> str:
    """The name whose value is read: ``-o`` over the file, then the new name over the bare."""
    names = [name for name in (spec.ini_key, spec.old_ini_key) if name and name in written]
    if not names:
        return spec.ini_key
    return max(names, key=lambda name: (written[name].override, name == spec.ini_key))


def _value(config: pytest.Config, spec: OptionSpec, key: str, raw: Written | None) -> str:
    """The key's value as text; an empty flag is unset, as an empty text setting is."""
    if raw is None or (isinstance(raw.value, str) and not raw.value.strip()):
        return ""
    try:
        value = config.getini(key)
    except (pytest.UsageError, ValueError) as err:  # pytest's words: invalid truth value ...
        if raw.override:
            source, fix = f"-o {key}", f"-o {spec.ini_key}=true, or false"
        else:
            source, fix = f"{key} in {_where(config)}", f"{spec.ini_key} = true, or false"
        raise ConfigError(f"{source} is not a flag value ({err}); write {fix}") from err
    if isinstance(value, bool):
        return "true" if value else ""
    return str(value)


def _deprecated(
    config: pytest.Config, spec: OptionSpec, old: str, written: dict[str, Written]
) -> str:
    """What a bare name's warning says: where it was written, and the fix true for that place."""
    new = spec.ini_key
    if written[old].override:
        if _read_key(spec, written) != old:
            return f"-o {old} is ignored, since -o {new} is given too; drop -o {old}"
        return f"-o {old} is the deprecated name of {new}; give -o {new}=..."
    where = _where(config)
    upgrade = config.inipath is not None and config.inipath.name == "pytest.ini"
    if new in written and not written[new].override:
        how = " (cloudrun-acceptance upgrade comments it out)" if upgrade else ""
        return (
            f"the ini key {old} in {where} is the deprecated name of {new}, which is set there "
            f"too, so it is ignored: delete it{how}"
        )
    how = (
        " (cloudrun-acceptance upgrade renames it)"
        if upgrade
        else f" in {_name(config)} by hand (cloudrun-acceptance upgrade edits pytest.ini only)"
    )
    return f"the ini key {old} in {where} is the deprecated name of {new}; rename it {new}{how}"


def _where(config: pytest.Config) -> str:
    return str(config.inipath) if config.inipath else "the ini file"


def _name(config: pytest.Config) -> str:
    return config.inipath.name if config.inipath else "the ini file"
