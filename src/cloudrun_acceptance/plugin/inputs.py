"""The run's inputs, read once before collection and frozen: the settings with the contract's
defaults applied, the contract, and env.yaml. Every target of the run shares them.

The contract's own path is a setting, and the contract may give defaults to other settings
(``defaults:``), so the settings are resolved once to find it and once with its defaults,
here, in one place: nothing reads a setting between the two.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..config.contract import load_contract
from ..config.envfile import load_env_file, read_env_entries
from ..config.settings import Settings, Sources, resolve_settings
from ..model.contract import Contract
from ..model.errors import ConfigError


@dataclass(frozen=True)
class RunInputs:
    """What the run reads before it checks anything. ``env_problem``: in a pre-flight run,
    why env.yaml could not be read (its check reports it, the run goes on)."""

    settings: Settings
    contract: Contract
    expected_env: Mapping[str, str]
    env_keys: tuple[str, ...]
    env_problem: str | None = None


def read_inputs(sources: Sources) -> RunInputs:
    """Resolve the settings, read the contract and env.yaml (a bad one is a ConfigError that
    names the file, the line and the fix)."""
    contract = load_contract(resolve_settings(sources).contract)
    settings = resolve_settings(sources, contract.defaults)
    expected, problem = _read_env(settings)
    keys = tuple(expected) or tuple(read_env_entries(settings.env_file).keys)
    return RunInputs(settings, contract, expected, keys, problem)


def _read_env(settings: Settings) -> tuple[dict[str, str], str | None]:
    path, origin = settings.env_file, settings.origins.get("env_file", "default")
    needed = settings.sandbox or settings.service_ref is not None
    if origin == "default" and not needed and not path.exists():
        return {}, None  # a URL-only or pre-flight run that compares no revision's env
    try:
        where = "--env-file's default" if origin == "default" else origin
        return load_env_file(path, where), None
    except ConfigError as err:
        if settings.preflight is None:
            raise
        # A pre-flight run goes on: test_env_file_is_ready_for_deploy names the problem, and
        # the checks that need the file say "not checked".
        return {}, str(err)
