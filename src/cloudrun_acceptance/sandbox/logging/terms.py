"""The terms of the local Logging API's filter language (``filter`` parses them): a field's
value compared, as the Logging query language compares it, and ``sample()``.

Timestamps compare as times, severities by rank, numbers as numbers, text without its case
(``=~`` and ``!~`` as RE2 regular expressions, model/re2.py); an entry without a severity is
DEFAULT. ``sample(FIELD, FRACTION)`` selects an entry when a hash of the field's value, as a
fraction of its range, is below the fraction (``sampled``).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from ...model.re2 import Re2Error, to_python

SEVERITIES = (
    "DEFAULT",
    "DEBUG",
    "INFO",
    "NOTICE",
    "WARNING",
    "ERROR",
    "CRITICAL",
    "ALERT",
    "EMERGENCY",
)
Entry = Mapping[str, Any]
Predicate = Callable[[Entry], bool]


class FilterError(ValueError):
    """The filter cannot be parsed or evaluated."""


def sample_term(arguments: list[str]) -> Predicate:
    """``sample(FIELD, FRACTION)``: the entries whose FIELD hashes below FRACTION."""
    if len(arguments) != 2 or not arguments[0]:
        raise FilterError("sample() takes a field and a fraction: sample(insertId, 0.25)")
    field, text = arguments
    try:
        fraction = float(text)
    except ValueError:
        fraction = math.nan
    if not 0.0 <= fraction <= 1.0:
        raise FilterError(f"sample(): the fraction must be a number from 0 to 1, not {text!r}")

    def predicate(entry: Entry) -> bool:
        value = _field(entry, field)
        return value is not None and sampled(str(value), fraction)

    return predicate


def sampled(value: str, fraction: float) -> bool:
    """Whether ``sample(FIELD, fraction)`` selects an entry whose FIELD is ``value``."""
    digest = hashlib.blake2b(value.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") < fraction * 2**64


def unquote(raw: str) -> str:
    return re.sub(r"\\(.)", r"\1", raw[1:-1])


def _field(entry: Entry, path: str) -> Any:
    value: Any = entry
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def compare(field: str, op: str, value: str) -> Predicate:
    if op in {"=~", "!~"}:
        try:
            pattern = re.compile(to_python(value))
        except Re2Error as err:
            raise FilterError(f"Invalid regular expression: {err}") from err
        matches = op == "=~"
        return lambda entry: (
            (_field(entry, field) is not None and bool(pattern.search(str(_field(entry, field)))))
            is matches
        )
    if op == ":":
        wanted = value.casefold()
        return lambda entry: (
            _field(entry, field) is not None and wanted in str(_field(entry, field)).casefold()
        )
    key = comparable(field, value)
    tests: dict[str, Callable[[Any, Any], bool]] = {
        "=": lambda a, b: a == b,
        "!=": lambda a, b: a != b,
        ">=": lambda a, b: a >= b,
        "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b,
        "<": lambda a, b: a < b,
    }
    test = tests[op]

    def predicate(entry: Entry) -> bool:
        found = _field(entry, field)
        if found is None and field == "severity":
            found = "DEFAULT"
        if found is None:
            return op == "!="
        try:
            return test(comparable(field, str(found)), key)
        except TypeError:
            return False

    return predicate


def comparable(field: str, value: str) -> Any:
    """The comparable form of a value: a time, a severity rank, a number, or the text with its
    case folded (comparisons of text ignore case)."""
    if field == "timestamp" or field.endswith("Timestamp"):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as err:
            raise FilterError(f"Invalid timestamp {value!r}") from err
    if field == "severity":
        upper = value.upper()
        if upper not in SEVERITIES:
            raise FilterError(f"Invalid severity {value!r}")
        return SEVERITIES.index(upper)
    try:
        return float(value)
    except ValueError:
        return value.casefold()
