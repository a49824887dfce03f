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

import re
from dataclasses import dataclass
from datetime import datetime

from .terms import (
    FilterError,
    Predicate,
    comparable,
    compare,
    sample_term,
    unquote,
)

__all__ = ["FilterError", "Predicate", "Scope", "parse_filter", "parse_scoped"]

_TOKEN = re.compile(
    r'\s*(?:(?P<paren>[()])|(?P<string>"(?:\\.|[^"\\])*")|(?P<op>>=|<=|!=|=~|!~|=|>|<|:)'
    r"|(?P<word>[^\s()\"=<>!:~]+))"
)


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


@dataclass(frozen=True)
class Scope:
    """What every entry a filter selects must satisfy, from the terms the whole filter requires
    (joined by AND at its top level, not under OR or NOT): its timestamp's bounds (each
    inclusive, None: unbounded) and a ``sample(insertId, FRACTION)`` (1.0: none). A source that
    makes entries on demand (the simulated users) makes only these; the filter itself still
    decides."""

    start: datetime | None = None
    end: datetime | None = None
    fraction: float = 1.0


def parse_filter(text: str) -> Predicate:
    """A predicate on LogEntry JSON for the filter ``text``; raise FilterError if unparseable."""
    return parse_scoped(text)[0]


def parse_scoped(text: str) -> tuple[Predicate, Scope]:
    """The filter's predicate and its scope (raises FilterError)."""
    parser = _Parser(_tokens(text))
    if not parser.tokens:
        return (lambda entry: True), Scope()
    predicate = parser.expression()
    if parser.position != len(parser.tokens):
        raise FilterError(f"Unparseable filter: unexpected {parser.tokens[parser.position][1]!r}")
    return predicate, parser.scope()


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.position = 0
        # The terms that bound the timestamp or sample insertId, as parsed: (field, op, value);
        # a disjunction or a negation drops those it holds, so the ones left are required.
        self.required: list[tuple[str, str, str]] = []

    def scope(self) -> Scope:
        """The scope the required terms give."""
        start = end = None
        fraction = 1.0
        for field, op, value in self.required:
            if field == "sample":
                fraction = min(fraction, float(value))
                continue
            when = comparable("timestamp", value)
            if op in {">=", ">"}:
                start = when if start is None else max(start, when)
            elif op in {"<=", "<"}:
                end = when if end is None else min(end, when)
            else:
                start = when if start is None else max(start, when)
                end = when if end is None else min(end, when)
        return Scope(start, end, fraction)

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
        held = len(self.required)
        terms = [self.unary()]
        while self.peek() == ("word", "OR"):
            self.take()
            terms.append(self.unary())
        if len(terms) > 1:
            del self.required[held:]  # either side may hold: neither is required
        return terms[0] if len(terms) == 1 else (lambda entry: any(term(entry) for term in terms))

    def unary(self) -> Predicate:
        """NOT (or a leading minus sign) binds tightest."""
        token = self.peek()
        if token in {("word", "NOT"), ("word", "-")}:
            self.take()
            return self._negated()
        if token is not None and token[0] == "word" and token[1].startswith("-"):
            # -field=value: the minus sign, then the comparison's field.
            self.tokens[self.position] = ("word", token[1][1:])
            return self._negated()
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

    def _negated(self) -> Predicate:
        held = len(self.required)
        inner = self.unary()
        del self.required[held:]
        return lambda entry: not inner(entry)

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
        predicate = sample_term(arguments)
        if arguments[0] == "insertId":
            self.required.append(("sample", "", arguments[1]))
        return predicate

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
        value = unquote(raw) if kind == "string" else raw
        predicate = compare(field, op, value)
        if field == "timestamp" and op in {"=", ">=", ">", "<=", "<"}:
            self.required.append((field, op, value))
        return predicate
