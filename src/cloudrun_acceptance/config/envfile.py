"""env.yaml: the environment the revision must carry, as ``gcloud --env-vars-file`` takes it.

One reader for the gate and the pre-flight: YAML node by node, so that each problem names its
line and the value as written (``SHOP_METRICS: on`` is a boolean to YAML; the fix is
``SHOP_METRICS: "on"``, not ``"true"``).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..model.envfile import EnvEntry, EnvFile
from ..model.errors import ConfigError
from .yamlnode import SAFE_LOADER

STRING_TAG = "tag:yaml.org,2002:str"
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def read_env_entries(path: Path) -> EnvFile:
    """The entries of env.yaml at ``path`` with their lines; never raises for its content."""
    name = path.name
    if not path.is_file():
        return EnvFile(name, found=False)
    try:
        node = yaml.compose(path.read_text(errors="replace"), Loader=SAFE_LOADER)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        return EnvFile(name, True, error=f"not valid YAML{where}: {getattr(err, 'problem', err)}")
    if node is None:
        return EnvFile(name, True)
    if not isinstance(node, yaml.MappingNode):
        return EnvFile(name, True, error="not a mapping of NAME: value lines")
    entries: list[EnvEntry] = []
    for key, value in node.value:
        line = key.start_mark.line + 1
        if not isinstance(key, yaml.ScalarNode) or not isinstance(value, yaml.ScalarNode):
            return EnvFile(name, True, error=f"line {line} is not a NAME: value line")
        if not ENV_NAME.fullmatch(str(key.value)):
            return EnvFile(
                name,
                True,
                error=f"line {line}: {key.value!r} is not an env var name (letters, digits and _)",
            )
        if any(entry.key == key.value for entry in entries):
            first = next(entry.line for entry in entries if entry.key == key.value)
            return EnvFile(
                name, True, error=f"line {line}: {key.value} is given again (first at line {first})"
            )
        entries.append(
            EnvEntry(
                key=str(key.value),
                value=str(value.value),
                line=line,
                is_string=value.tag == STRING_TAG,
                tag=value.tag.rsplit(":", 1)[-1],
            )
        )
    return EnvFile(name, True, tuple(entries))


def load_env_file(path: Path, origin: str = "") -> dict[str, str]:
    """env.yaml as names to string values; a ConfigError naming the file (and ``origin``, where
    its path came from), the line, the value as written and the fix."""
    env = read_env_entries(path)
    problems = env.problems()
    if problems:
        where = f"env file {path}" + (f" (from {origin})" if origin else "")
        if not env.found:
            raise ConfigError(f"{where} does not exist; pass --env-file=PATH to an existing file.")
        if env.error:
            raise ConfigError(f'{where} {problems[0]}; write one NAME: "value" per line.')
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ConfigError(f"{where} {problems[0]}.{more}")
    return {entry.key: entry.value for entry in env.entries}
