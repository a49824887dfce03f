"""The container's command, from the Dockerfile's final stage, parsed with dockerfile-parse."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from ..model.preflight import Dockerfile, Instruction, shell_words

NAME = "Dockerfile"


def read_dockerfile(root: Path) -> Dockerfile:
    """The Dockerfile at ``root``: its final stage's ENTRYPOINT and CMD (the last of each)."""
    from dockerfile_parse import DockerfileParser

    path = root / NAME
    if not path.is_file():
        return Dockerfile(NAME, found=False)
    try:
        structure = DockerfileParser(path=str(path), cache_content=True).structure
    except (OSError, ValueError) as err:
        return Dockerfile(NAME, found=True, error=str(err))
    final: list[Mapping[str, object]] = []
    for item in structure:
        if str(item["instruction"]).upper() == "FROM":
            final = []
        final.append(item)
    found = {"ENTRYPOINT": None, "CMD": None} | {
        str(item["instruction"]).upper(): _instruction(item)
        for item in final
        if str(item["instruction"]).upper() in {"ENTRYPOINT", "CMD"}
    }
    return Dockerfile(NAME, found=True, entrypoint=found["ENTRYPOINT"], cmd=found["CMD"])


def _instruction(item: Mapping[str, object]) -> Instruction:
    keyword, value = str(item["instruction"]).upper(), str(item["value"]).strip()
    line = int(str(item["startline"])) + 1
    if value.startswith("["):
        try:
            words = json.loads(value)
        except ValueError:
            words = None
        if isinstance(words, list) and all(isinstance(word, str) for word in words):
            return Instruction(keyword, line, "exec", tuple(words), value)
    return Instruction(keyword, line, "shell", shell_words(value), value)
