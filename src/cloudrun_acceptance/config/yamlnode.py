"""Reading a YAML file for the gate, and a validator that names the key path of every problem.

A problem is a ConfigError that names the file, the key path (``metrics.expected[3].type``), the
value and the fix.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import NoReturn

import yaml

from ..model.contract import FILL_IN
from ..model.errors import ConfigError


class Node:
    """A value inside a YAML document, with its key path, for precise error messages."""

    def __init__(self, value: object, where: str, source: Path) -> None:
        self.value = value
        self.where = where
        self.source = source

    def fail(self, problem: str, fix: str) -> NoReturn:
        place = f"{self.where}: " if self.where else ""
        raise ConfigError(f"{self.source}: {place}{problem}; {fix}.")

    def mapping(self, allowed: tuple[str, ...]) -> Mapping[str, object]:
        if not isinstance(self.value, Mapping):
            self.fail(f"expected a mapping, got {shown(self.value)}", "write key: value lines")
        for key in self.value:
            if key not in allowed:
                self.fail(f"unknown key {key!r}", "use one of " + ", ".join(allowed))
        return self.value

    def string_map(self) -> dict[str, str]:
        if self.value is None:
            return {}
        if not isinstance(self.value, Mapping):
            self.fail(f"expected a mapping, got {shown(self.value)}", "write name: value lines")
        return {str(key): self.child(str(key)).text("") for key in self.value}

    def child(self, key: str) -> Node:
        value = self.value.get(key) if isinstance(self.value, Mapping) else None
        return Node(value, f"{self.where}.{key}" if self.where else key, self.source)

    def present(self) -> bool:
        return self.value is not None

    def require(self, fix: str) -> None:
        if self.value is None:
            self.fail("is missing", fix)

    def text(self, default: str) -> str:
        if self.value is None:
            return default
        if isinstance(self.value, bool) or not isinstance(self.value, str | int | float):
            self.fail(f"expected text, got {shown(self.value)}", 'quote it: "value"')
        return str(self.value)

    def path(self, default: str) -> str:
        value = self.text(default)
        if not value.startswith("/"):
            self.fail(f"{value!r} is not a path", "start it with /, such as /healthz")
        return value

    def number(self, default: float, *, positive: bool = False) -> float:
        if self.value is None:
            return default
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            self.fail(f"expected a number, got {shown(self.value)}", "write a number, such as 0.3")
        number = float(self.value)
        if not math.isfinite(number) or number < 0 or (positive and number == 0):
            bound = "greater than 0" if positive else "0 or more"
            self.fail(f"{self.value!r} is out of range", f"give a number {bound}")
        return number

    def integer(self, default: int, *, positive: bool = False) -> int:
        number = self.number(default, positive=positive)
        if number != int(number):
            self.fail(f"{self.value!r} is not a whole number", "write an integer")
        return int(number)

    def pattern(self, default: str) -> str:
        """A regular expression (as Python's ``re`` takes it)."""
        value = self.text(default)
        try:
            re.compile(value)
        except re.error as err:
            self.fail(f"{value!r} is not a regular expression ({err})", "escape [ ] ( ) with \\")
        return value

    def re2_pattern(self) -> str:
        """A regular expression that Cloud Logging's filter takes (RE2, model/re2.py)."""
        from ..model.re2 import Re2Error, to_python

        value = self.text("")
        try:
            to_python(value)
        except Re2Error as err:
            if err.syntax:
                self.fail(str(err), "escape [ ] ( ) with \\")
            self.fail(
                f"{err}: Cloud Logging's filter takes RE2 regular expressions",
                "write it in RE2's syntax (github.com/google/re2/wiki/Syntax): \\z for the end "
                "of the text, no lookaround, no backreferences",
            )
        return value

    def refuse_placeholders(self) -> None:
        """Fail on the first value still holding a placeholder that `init` wrote."""
        value = self.value
        if isinstance(value, str) and value.startswith(FILL_IN):
            self.fail(
                f"{value!r} is a placeholder: cloudrun-acceptance init could not read this value",
                "fill it in (the text says what goes there), or remove the key if it is optional",
            )
        if isinstance(value, Mapping):
            for key in value:
                self.child(str(key)).refuse_placeholders()
        elif isinstance(value, list):
            for item in self.items():
                item.refuse_placeholders()

    def choice(self, choices: tuple[str, ...], default: str) -> str:
        value = self.text(default)
        if value not in choices:
            self.fail(f"{value!r} is not one of {', '.join(choices)}", f"use {choices[0]}")
        return value

    def items(self) -> list[Node]:
        if self.value is None:
            return []
        if not isinstance(self.value, list):
            self.fail(f"expected a list, got {shown(self.value)}", "write a YAML list (- item)")
        return [
            Node(item, f"{self.where}[{index}]", self.source)
            for index, item in enumerate(self.value)
        ]


# libyaml's parser where PyYAML was built with it (ten times faster than the pure-Python one,
# the same safe types); the pure-Python one otherwise.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def shown(value: object) -> str:
    kind = {bool: "a boolean", int: "a number", float: "a number", str: "text", list: "a list"}
    return (
        f"{kind.get(type(value), type(value).__name__)} ({value!r})"
        if value is not None
        else "nothing"
    )


def read_yaml(path: Path, what: str, fix: str) -> tuple[object, bytes]:
    try:
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise ConfigError(f"{what} {path} does not exist; {fix}.") from err
    except OSError as err:
        raise ConfigError(f"{what} {path} cannot be read ({err.strerror}); {fix}.") from err
    try:
        return yaml.load(data, Loader=SAFE_LOADER), data
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        place = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise ConfigError(
            f"{what} {path} is not valid YAML{place}: {problem}; fix the syntax."
        ) from err
