"""The part of the Cloud Logging filter language that the local Logging API honours.

Comparisons (``=`` ``!=`` ``>=`` ``<=`` ``>`` ``<`` ``=~`` ``!~`` ``:``) on dotted fields, joined
with AND, OR and NOT and parentheses; juxtaposition is AND. Timestamps compare as times, severities
by rank, numbers as numbers. Anything else is a FilterError, which the API answers with 400, as the
real one does for a filter it cannot parse. Regular expressions follow RE2 (model/re2.py): what
RE2 refuses (lookaround, backreferences, ``\\Z``) is refused, and what it takes beyond Python
(``\\z``, ``[[:alpha:]]``, ``\\pL``) is taken.

The rules below are Google's, from the Logging query language reference
(cloud.google.com/logging/docs/view/logging-query-language):

- "Boolean operators": NOT binds tightest, then OR, then AND, so ``a OR NOT b AND NOT c OR d`` is
  ``(a OR (NOT b)) AND ((NOT c) OR d)``. gcloud relies on it: ``gcloud logging read --freshness``
  joins its ``timestamp>=`` clause to the user's filter with a bare AND
  (surface/logging/read.py, JoinFilters(..., operator='AND')).
- A leading minus sign is NOT: ``-severity>=ERROR``.
- "The Logging query language is case-insensitive, with the exception of regular expressions and
  logical operators" ("String comparisons aren't case sensitive"): ``=``, ``!=`` and the has
  operator ``:`` compare text ignoring case; ``=~`` and ``!~`` do not; AND, OR and NOT must be
  capitals.
- "Functions", ``sample``: ``sample(insertId, 0.25)`` selects about that fraction of the entries,
  deterministically by the field's value (the same entries at every query with the same
  fraction), so a sample read twice is the same sample. Here an entry is selected when a hash of
  the value, as a fraction of its range, is below the fraction; an entry without the field is
  not. The fraction is a number from 0 to 1.
- An entry without a severity has the severity DEFAULT (LogEntry's ``severity``: "the default
  value is LogSeverity.DEFAULT"), so ``severity>=DEFAULT`` finds plain lines.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from ..model.re2 import Re2Error, to_python

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
_TOKEN = re.compile(
    r'\s*(?:(?P<paren>[()])|(?P<string>"(?:\\.|[^"\\])*")|(?P<op>>=|<=|!=|=~|!~|=|>|<|:)'
    r"|(?P<word>[^\s()\"=<>!:~]+))"
)

Entry = Mapping[str, Any]
Predicate = Callable[[Entry], bool]


class FilterError(ValueError):
    """The filter cannot be parsed or evaluated."""


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            near = text[position : position + 20]
            raise FilterError(f"Unparseable filter: unexpected character at {position}: {near!r}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def parse_filter(text: str) -> Predicate:
    """A predicate on LogEntry JSON for the filter ``text``; raise FilterError if unparseable."""
    parser = _Parser(_tokens(text))
    if not parser.tokens:
        return lambda entry: True
    predicate = parser.expression()
    if parser.position != len(parser.tokens):
        raise FilterError(f"Unparseable filter: unexpected {parser.tokens[parser.position][1]!r}")
    return predicate


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.position = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise FilterError("Unparseable filter: unexpected end")
        self.position += 1
        return token

    def expression(self) -> Predicate:
        """Conjunctions bind loosest: explicit AND, or two terms side by side."""
        terms = [self.disjunction()]
        while (token := self.peek()) is not None and token != ("paren", ")"):
            if token == ("word", "AND"):
                self.take()
            terms.append(self.disjunction())
        return terms[0] if len(terms) == 1 else (lambda entry: all(term(entry) for term in terms))

    def disjunction(self) -> Predicate:
        """OR binds tighter than AND."""
        terms = [self.unary()]
        while self.peek() == ("word", "OR"):
            self.take()
            terms.append(self.unary())
        return terms[0] if len(terms) == 1 else (lambda entry: any(term(entry) for term in terms))

    def unary(self) -> Predicate:
        """NOT (or a leading minus sign) binds tightest."""
        token = self.peek()
        if token in {("word", "NOT"), ("word", "-")}:
            self.take()
            inner = self.unary()
            return lambda entry: not inner(entry)
        if token is not None and token[0] == "word" and token[1].startswith("-"):
            # -field=value: the minus sign, then the comparison's field.
            self.tokens[self.position] = ("word", token[1][1:])
            inner = self.unary()
            return lambda entry: not inner(entry)
        if token == ("paren", "("):
            self.take()
            inner = self.expression()
            if self.peek() != ("paren", ")"):
                raise FilterError("Unparseable filter: missing )")
            self.take()
            return inner
        if token is not None and token[0] == "word" and self._called():
            return self.function()
        return self.comparison()

    def _called(self) -> bool:
        """Whether the word at the position names a function: an opening parenthesis follows."""
        after = self.position + 1
        return after < len(self.tokens) and self.tokens[after] == ("paren", "(")

    def function(self) -> Predicate:
        """``name(arguments)``: the arguments' words up to the closing parenthesis, split at
        their commas."""
        _, name = self.take()
        self.take()  # (
        words = []
        while (token := self.peek()) is not None and token != ("paren", ")"):
            words.append(self.take()[1])
        if self.peek() != ("paren", ")"):
            raise FilterError(f"Unparseable filter: missing ) after {name}(")
        self.take()
        arguments = [part.strip() for part in " ".join(words).split(",")]
        if name != "sample":
            raise FilterError(f"Unparseable filter: unknown function {name}()")
        return _sample(arguments)

    def comparison(self) -> Predicate:
        kind, field = self.take()
        if kind != "word":
            raise FilterError(f"Unparseable filter: expected a field, got {field!r}")
        kind, op = self.take()
        if kind != "op":
            raise FilterError(f"Unparseable filter: expected an operator after {field}, got {op!r}")
        kind, raw = self.take()
        if kind not in {"string", "word"}:
            raise FilterError(f"Unparseable filter: expected a value after {field}{op}")
        value = _unquote(raw) if kind == "string" else raw
        return _compare(field, op, value)


def _sample(arguments: list[str]) -> Predicate:
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
        if value is None:
            return False
        digest = hashlib.blake2b(str(value).encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") < fraction * 2**64

    return predicate


def _unquote(raw: str) -> str:
    return re.sub(r"\\(.)", r"\1", raw[1:-1])


def _field(entry: Entry, path: str) -> Any:
    value: Any = entry
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _compare(field: str, op: str, value: str) -> Predicate:
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
    key = _key(field, value)
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
            return test(_key(field, str(found)), key)
        except TypeError:
            return False

    return predicate


def _key(field: str, value: str) -> Any:
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
