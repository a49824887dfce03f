"""The part of the Cloud Logging filter language that the local Logging API honours.

Comparisons (``=`` ``!=`` ``>=`` ``<=`` ``>`` ``<`` ``=~`` ``!~`` ``:``) on dotted fields, joined
with AND, OR and NOT and parentheses; juxtaposition is AND. Timestamps compare as times, severities
by rank, numbers as numbers. Anything else is a FilterError, which the API answers with 400, as the
real one does for a filter it cannot parse. Regular expressions follow RE2, so lookaround and
backreferences are rejected.

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
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

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
_NOT_RE2 = re.compile(r"\(\?[=!<]|\\[1-9]")

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
        return self.comparison()

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
        if _NOT_RE2.search(value):
            raise FilterError(
                f"Invalid regular expression {value!r}: RE2 has no lookaround or backreferences"
            )
        try:
            pattern = re.compile(value)
        except re.error as err:
            raise FilterError(f"Invalid regular expression {value!r}: {err}") from err
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
