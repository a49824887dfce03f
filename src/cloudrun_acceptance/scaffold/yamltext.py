"""The drafted contract's YAML, written line by line: scalars and commented lines."""

from __future__ import annotations

import json


def c(text: str, comment: str) -> str:
    """A line of YAML with its comment, the comments of a section aligned."""
    return f"{text:<26} # {comment}"


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(text)


def pattern(text: str) -> str:
    """A YAML single-quoted scalar, for regular expressions (backslashes stay as written)."""
    return "'" + text.replace("'", "''") + "'"
