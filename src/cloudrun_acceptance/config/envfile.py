"""Load env.yaml: the environment the revision must carry, as ``--env-vars-file`` takes it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from ..model.errors import ConfigError
from .yamlnode import read_yaml, shown


def load_env_file(path: Path) -> dict[str, str]:
    """Read env.yaml: env var names to string values, as ``gcloud --env-vars-file`` takes."""
    document, _ = read_yaml(path, "env file", "pass --env-file PATH to an existing file")
    if document is None:
        return {}
    if not isinstance(document, Mapping):
        raise ConfigError(
            f'env file {path} must be a mapping of NAME: "value" lines, got {shown(document)}; '
            'write one NAME: "value" per line.'
        )
    env: dict[str, str] = {}
    for key, value in document.items():
        if not isinstance(key, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise ConfigError(
                f"env file {path}: {key!r} is not an env var name; use letters, digits and _."
            )
        if not isinstance(value, str):
            raise ConfigError(
                f"env file {path}: {key} is {shown(value)}, not a string, and gcloud "
                f'--env-vars-file takes strings only; quote it: {key}: "{_yaml_text(value)}".'
            )
        env[key] = value
    return env


def _yaml_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
