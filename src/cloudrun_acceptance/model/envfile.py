"""env.yaml as read, line by line: what ``gcloud run deploy --env-vars-file`` will be given."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# How each YAML type reads in a message: `KEY: on` is "read as a boolean".
TYPE_WORDS = {"bool": "a boolean", "int": "a number", "float": "a number", "null": "nothing"}


@dataclass(frozen=True)
class EnvEntry:
    """One ``KEY: value`` of env.yaml: its line, the value as written, and whether YAML reads it
    as a string (an unquoted ``on``, ``true`` or ``1`` it reads as a boolean or a number)."""

    key: str
    value: str
    line: int
    is_string: bool
    tag: str = "str"

    @property
    def read_as(self) -> str:
        """``a boolean``, ``a number``: what YAML makes of the value."""
        return TYPE_WORDS.get(self.tag, self.tag)

    @property
    def quoted(self) -> str:
        """The line with the value quoted as written: ``SHOP_METRICS: "on"``."""
        return f'{self.key}: "{self.value}"'


@dataclass(frozen=True)
class EnvFile:
    """env.yaml read with the line of each entry; ``error`` when it is not a NAME: value file."""

    name: str
    found: bool
    entries: tuple[EnvEntry, ...] = ()
    error: str = ""

    def get(self, key: str) -> EnvEntry | None:
        """The entry of ``key``, if any."""
        return next((entry for entry in self.entries if entry.key == key), None)

    @property
    def keys(self) -> list[str]:
        """The names it sets, in its order."""
        return [entry.key for entry in self.entries]

    def problems(self) -> list[str]:
        """What gcloud --env-vars-file would refuse, a line each, naming the line and the fix."""
        if not self.found:
            return ["does not exist"]
        if self.error:
            return [f"is {self.error}"]
        return [
            f"line {e.line}: {e.key}: {e.value} is read as {e.read_as}, not a string, and gcloud "
            f"--env-vars-file takes strings only; quote it: {e.quoted}"
            for e in self.entries
            if not e.is_string
        ]


def env_differences(mine: Mapping[str, str], theirs: Mapping[str, str]) -> str:
    """``A (missing here), B (only here), C (value)``: how ``mine`` differs from ``theirs``, by
    name only (values are not ours to print); "" when they are equal."""

    def kind(key: str) -> str:
        if key not in mine:
            return "missing here"
        return "only here" if key not in theirs else "value"

    keys = [k for k in sorted(set(mine) | set(theirs)) if mine.get(k) != theirs.get(k)]
    return ", ".join(f"{key} ({kind(key)})" for key in keys)
