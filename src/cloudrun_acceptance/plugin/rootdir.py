"""Path options given with a space, and the rootdir pytest chose because of them.

pytest chooses its rootdir and ini file before any plugin is loaded, from the arguments it
takes for test paths. It does not know yet that ``--env-file`` takes a value, so in
``--env-file ../service/env.yaml`` it takes ``../service/env.yaml`` for a test path, roots the
run there and does not read ./pytest.ini. No plugin can undo that; the gate finds out, and
stops with the fix, instead of failing later on a file the user never named.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from ..config.options import OPTIONS
from ..model.errors import ConfigError

PATH_FLAGS = tuple(spec.flag for spec in OPTIONS if spec.kind == "path")


def check_spaced_paths(config: pytest.Config) -> None:
    """A ConfigError when a path option given with a space changed pytest's rootdir or ini file."""
    args = list(config.invocation_params.args)
    here = Path(config.invocation_params.dir)
    spaced = [
        (flag, value)
        for flag, value in itertools.pairwise(args)
        if flag in PATH_FLAGS and not value.startswith("-") and (here / value).exists()
    ]
    if not spaced:
        return
    values = {value for _, value in spaced}
    given = config.args if config.args_source == pytest.Config.ArgsSource.ARGS else []
    rootpath, inipath = _setup_without(config, [arg for arg in given if arg not in values])
    if (rootpath, inipath) == (Path(config.rootpath), config.inipath):
        return
    flag, value = spaced[0]
    chose = _described(Path(config.rootpath), config.inipath)
    instead = _described(rootpath, inipath)
    if inipath is not None:
        other = f"-c {os.path.relpath(inipath, here)} (the ini file it would have read)"
    else:
        other = f"--rootdir={os.path.relpath(rootpath, here)}"
    raise ConfigError(
        f"{flag} {value}, with a space, made pytest take {value} for a test path when it chose "
        f"its rootdir: it chose {chose} instead of {instead}. Write {flag}={value} (with =), or "
        f"add {other}."
    )


def _setup_without(config: pytest.Config, args: list[str]) -> tuple[Path, Path | None]:
    """The rootdir and ini file pytest would have chosen for ``args``."""
    from _pytest.config.findpaths import determine_setup

    rootpath, inipath, _, _ = determine_setup(
        inifile=config.option.inifilename,
        override_ini=config.option.override_ini,
        args=args,
        rootdir_cmd_arg=config.option.rootdir or None,
        invocation_dir=Path(config.invocation_params.dir),
    )
    return Path(rootpath), inipath


def _described(rootpath: Path, inipath: Path | None) -> str:
    ini = f"with {inipath.name}" if inipath is not None else "without an ini file"
    return f"{rootpath} ({ini})"
