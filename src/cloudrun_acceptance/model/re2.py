"""RE2's regular expressions, as Cloud Logging's filter takes them (``=~``), checked and written
for Python's ``re``: the gate matches the lines it reads with the same patterns it sends.

RE2's syntax (github.com/google/re2/wiki/Syntax) differs from Python's both ways:

- RE2 refuses what Python takes: lookaround (``(?=`` ``(?!`` ``(?<=`` ``(?<!``), backreferences
  (``\\1``, ``(?P=name)``), atomic groups (``(?>``), possessive repetition (``x*+``),
  conditionals, and ``\\Z`` (RE2 has ``\\z`` for the end of the text). A filter holding one is
  refused by Cloud Logging (400), so a contract holding one is refused before any request.
- RE2 takes what Python does not: ``\\z``, the POSIX classes inside brackets
  (``[[:alpha:]]``, ASCII as in RE2), the Unicode classes ``\\pL`` ``\\p{L}`` (letters) and
  ``\\pN`` ``\\p{N}`` (digits, as Python's ``\\d``) with their negations ``\\PL`` ``\\PN``, and
  literal text ``\\Q...\\E``. These are written in Python's terms. Other Unicode classes
  (``\\p{Greek}``) have no such translation here: a contract naming one is refused with that said.
"""

from __future__ import annotations

import re
import warnings

POSIX = {
    "alnum": "0-9A-Za-z",
    "alpha": "A-Za-z",
    "ascii": "\\x00-\\x7f",
    "blank": "\\t ",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@\\[-`{-~",
    "space": "\\t\\n\\v\\f\\r ",
    "upper": "A-Z",
    "word": "0-9A-Za-z_",
    "xdigit": "0-9A-Fa-f",
}
# Unicode classes: outside brackets, and inside them (as part of a class).
UNICODE = {
    "L": ("[^\\W\\d_]", None),
    "N": ("\\d", "\\d"),
    "Nd": ("\\d", "\\d"),
}
NEGATED = {"L": "[\\W\\d_]", "N": "\\D", "Nd": "\\D"}
# RE2's limit on a repetition's count ({n,m}).
MAX_REPEAT = 1000
# Escapes Python takes and RE2 does not.
FOREIGN = {"u": "\\u (write \\x{...})", "U": "\\U", "N": "\\N{...}"}
# Perl classes: ASCII in RE2, Unicode in Python's re (for str).
ASCII = {
    "d": ("[0-9]", "0-9"),
    "D": ("[^0-9]", None),
    "w": ("[0-9A-Za-z_]", "0-9A-Za-z_"),
    "W": ("[^0-9A-Za-z_]", None),
    "s": ("[\\t\\n\\f\\r ]", "\\t\\n\\f\\r "),
    "S": ("[^\\t\\n\\f\\r ]", None),
    "b": ("(?a:\\b)", None),
    "B": ("(?a:\\B)", None),
}
REFUSED = (
    ("(?#", "comments (?#...)"),
    ("(?=", "lookahead (?=...)"),
    ("(?!", "negative lookahead (?!...)"),
    ("(?<=", "lookbehind (?<=...)"),
    ("(?<!", "negative lookbehind (?<!...)"),
    ("(?>", "an atomic group (?>...)"),
    ("(?P=", "a backreference (?P=name)"),
    ("(?(", "a conditional (?(...)"),
)


class Re2Error(ValueError):
    """The pattern is not an RE2 expression, or has no translation; the message says which.
    ``syntax``: it is no regular expression at all (an unbalanced bracket or parenthesis)."""

    def __init__(self, message: str, *, syntax: bool = False) -> None:
        super().__init__(message)
        self.syntax = syntax


def to_python(pattern: str) -> str:
    """The RE2 ``pattern`` written for Python's ``re`` (raises Re2Error)."""
    out: list[str] = []
    index, inside = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            written, index = _escape(pattern, index, inside)
        elif inside and pattern.startswith("[:", index):
            written, index = _posix(pattern, index)
        elif inside:
            inside = char != "]"
            written, index = char, index + 1
        elif char == "[":
            inside = True
            written, index = _opening(pattern, index)
        else:
            written, index = _outside(pattern, index)
        out.append(written)
    return _checked(pattern, "".join(out), inside)


def _posix(pattern: str, index: int) -> tuple[str, int]:
    """A POSIX class ``[:name:]`` inside brackets, at ``index``, as ASCII ranges."""
    end = pattern.find(":]", index + 2)
    name = pattern[index + 2 : end] if end >= 0 else ""
    if name.startswith("^"):
        raise Re2Error(f"{pattern!r}: the negated POSIX class [:{name}:] has no translation")
    if name not in POSIX:
        raise Re2Error(f"{pattern!r}: [:{name}:] is not a POSIX class of RE2")
    return POSIX[name], end + 2


def _opening(pattern: str, index: int) -> tuple[str, int]:
    """A class's ``[`` and its leading ``^`` or ``]`` (a ] first in a class is a literal)."""
    written, index = "[", index + 1
    for lead in ("^", "]"):
        if pattern.startswith(lead, index):
            written += "\\]" if lead == "]" else lead
            index += 1
    return written, index


def _outside(pattern: str, index: int) -> tuple[str, int]:
    """One character outside brackets, or a group's opening: refused where RE2 refuses it."""
    char = pattern[index]
    for opening, what in REFUSED:
        if pattern.startswith(opening, index):
            raise Re2Error(f"{pattern!r}: RE2 has no {what}")
    flags = _flags(pattern, index)
    if "U" in flags:
        raise Re2Error(f"{pattern!r}: RE2's flag U (ungreedy) has no translation")
    if set(flags) - set("imsU-"):
        raise Re2Error(f"{pattern!r}: RE2's flags are i, m, s and U, not {flags}")
    if char in "*+?}" and pattern.startswith("+", index + 1):
        raise Re2Error(f"{pattern!r}: RE2 has no possessive repetition (such as x*+)")
    named = re.match(r"\(\?<([A-Za-z_]\w*)>", pattern[index:])
    if named:  # RE2's (?<name>...) is Python's (?P<name>...)
        return f"(?P<{named.group(1)}>", index + named.end()
    return char, index + 1


def _checked(pattern: str, written: str, inside: bool) -> str:
    """``written`` once Python compiles it (an unclosed class compiles as the pattern does, so
    that the error says where), within RE2's repetition limit."""
    pairs = re.findall(r"\{(\d+)(?:,(\d*))?\}", pattern)
    if any(int(n) > MAX_REPEAT for pair in pairs for n in pair if n):
        raise Re2Error(f"{pattern!r}: RE2 repeats at most {MAX_REPEAT} times")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Python's FutureWarning on [[, never RE2's concern
            re.compile(pattern if inside else written)
    except (re.error, OverflowError, RecursionError) as err:
        raise Re2Error(f"{pattern!r} is not a regular expression ({err})", syntax=True) from err
    return written


def _escape(pattern: str, index: int, inside: bool) -> tuple[str, int]:
    """An escape at ``index`` (a backslash): its Python form, and the index after it."""
    if index + 1 >= len(pattern):
        raise Re2Error(f"{pattern!r}: a trailing backslash")
    letter = pattern[index + 1]
    after = index + 2
    if letter == "Z":
        raise Re2Error(f"{pattern!r}: RE2 has no \\Z: \\z is the end of the text")
    if letter in FOREIGN:
        raise Re2Error(f"{pattern!r}: RE2 has no {FOREIGN[letter]}")
    if letter == "z":
        return "\\Z", after
    if letter in ASCII:
        outside, within = ASCII[letter]
        if not inside:
            return outside, after
        return (within, after) if within is not None else (pattern[index:after], after)
    if letter.isdigit() and letter != "0":
        raise Re2Error(f"{pattern!r}: RE2 has no backreferences (\\{letter})")
    if letter == "Q":
        end = pattern.find("\\E", after)
        literal = pattern[after:] if end < 0 else pattern[after:end]
        return re.escape(literal), len(pattern) if end < 0 else end + 2
    if letter in "pP":
        if pattern.startswith("{", after):
            end = pattern.find("}", after)
            if end < 0:
                raise Re2Error(f"{pattern!r}: missing }} after \\{letter}{{")
            name, after = pattern[after + 1 : end], end + 1
        else:
            name, after = pattern[after : after + 1], after + 1
        return _unicode(pattern, name, negated=letter == "P", inside=inside), after
    return pattern[index:after], after


def _unicode(pattern: str, name: str, *, negated: bool, inside: bool) -> str:
    """A Unicode class ``\\p{name}`` in Python's terms."""
    if name not in UNICODE:
        raise Re2Error(
            f"{pattern!r}: the Unicode class \\p{{{name}}} has no translation here (only L and N)"
        )
    if negated:
        if inside:
            raise Re2Error(f"{pattern!r}: \\P{{{name}}} inside [...] has no translation")
        return NEGATED[name]
    outside, within = UNICODE[name]
    if not inside:
        return outside
    if within is None:
        raise Re2Error(f"{pattern!r}: \\p{{{name}}} inside [...] has no translation")
    return within


def _flags(pattern: str, index: int) -> str:
    """The flags the group at ``index`` sets (``(?i)``, ``(?im:...)``), or ""."""
    match = re.match(r"\(\?([A-Za-z-]+)[:)]", pattern[index:])
    return match.group(1) if match else ""
