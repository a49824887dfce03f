"""env.yaml of the source tree, read node by node so that each finding can name its line."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..model.preflight import EnvEntry, EnvFile

STRING_TAG = "tag:yaml.org,2002:str"


def read_env_file(path: Path) -> EnvFile:
    """``KEY: value`` lines, with whether YAML reads each value as a string (an unquoted
    ``true`` or ``1`` it reads as a boolean or a number, which gcloud refuses)."""
    name = path.name
    if not path.is_file():
        return EnvFile(name, found=False)
    try:
        node = yaml.compose(path.read_text(errors="replace"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        return EnvFile(name, True, error=f"not valid YAML{where}: {getattr(err, 'problem', err)}")
    if node is None:
        return EnvFile(name, True)
    if not isinstance(node, yaml.MappingNode):
        return EnvFile(name, True, error="not a mapping of NAME: value lines")
    entries = []
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode) or not isinstance(value, yaml.ScalarNode):
            line = key.start_mark.line + 1
            return EnvFile(name, True, error=f"line {line} is not a NAME: value line")
        entries.append(
            EnvEntry(
                key=str(key.value),
                value=str(value.value),
                line=key.start_mark.line + 1,
                is_string=value.tag == STRING_TAG,
                tag=value.tag.rsplit(":", 1)[-1],
            )
        )
    return EnvFile(name, True, tuple(entries))
