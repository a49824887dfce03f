"""RE2's patterns (Cloud Logging's =~) checked and written for Python's re: what RE2 refuses is
refused, what it takes beyond Python is written in Python's terms and matches the same text."""

from __future__ import annotations

import contextlib
import re

import pytest

from cloudrun_acceptance.model.re2 import Re2Error, to_python


@pytest.mark.parametrize(
    ("pattern", "matches", "misses"),
    [
        (r"^\[Metrics\] \d+ registered\z", "[Metrics] 13 registered", "[Metrics] 13 registered\n"),
        (r"^[[:alpha:]]+ ready$", "Server ready", "Server2 ready"),
        (r"[[:digit:][:upper:]]{3}", "A1B", "a1b"),
        (r"\pL+ \p{N}+", "Démarré 12", "12 12"),
        (r"^\PL+$", "12-34", "12a"),
        (r"[\pN_]+x", "1_2x", "abx"),
        (r"\Qa.b*\E!", "a.b*!", "axbb!"),
        (r"(?<word>\w+)=1", "key=1", "=1"),
        (r"(?i)ready", "READY", "rdy"),
        (r"a\++b", "a++b", "ab"),
        (r"[*+]x", "+x", "x"),
        # Perl classes are ASCII in RE2 (Unicode in Python's re): so are they written.
        (r"^\d+$", "42", "\u0664\u0662"),
        (r"\bready", "éready", "already"),
        (r"^[\w-]+$", "a_b-c", "é"),
    ],
)
def test_what_re2_takes_is_written_for_python_and_matches_alike(pattern, matches, misses):
    written = re.compile(to_python(pattern))
    assert written.search(matches)
    assert not written.search(misses)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (r"Ready\Z", r"RE2 has no \Z: \z is the end of the text"),
        (r"(?=x)y", "RE2 has no lookahead (?=...)"),
        (r"x(?!y)", "RE2 has no negative lookahead (?!...)"),
        (r"(?<=x)y", "RE2 has no lookbehind (?<=...)"),
        (r"(?<!x)y", "RE2 has no negative lookbehind (?<!...)"),
        (r"(\w)\1", r"RE2 has no backreferences (\1)"),
        (r"(?P<a>x)(?P=a)", "RE2 has no a backreference (?P=name)"),
        (r"(?>ab)", "RE2 has no an atomic group (?>...)"),
        (r"a*+", "RE2 has no possessive repetition"),
        (r"a{2}+", "RE2 has no possessive repetition"),
        (r"(?U)a*", "RE2's flag U (ungreedy) has no translation"),
        (r"\p{Greek}", r"the Unicode class \p{Greek} has no translation here"),
        (r"[[:^alpha:]]", "the negated POSIX class [:^alpha:] has no translation"),
        (r"[[:letters:]]", "[:letters:] is not a POSIX class of RE2"),
        (r"(?x)a b", "RE2's flags are i, m, s and U, not x"),
        (r"a(?#note)", "RE2 has no comments (?#...)"),
        (r"\u0041", r"RE2 has no \u (write \x{...})"),
        (r"\N{DIGIT ONE}", r"RE2 has no \N{...}"),
        (r"a{1001}", "RE2 repeats at most 1000 times"),
        (r"a{2,99999999999}", "RE2 repeats at most 1000 times"),
    ],
)
def test_what_re2_refuses_or_cannot_be_written_is_an_error(pattern, message):
    with pytest.raises(Re2Error) as raised:
        to_python(pattern)
    assert message in str(raised.value)
    assert not raised.value.syntax


@pytest.mark.parametrize("pattern", ["[Metrics", "(open", "x)"])
def test_no_regular_expression_at_all_is_a_syntax_error(pattern):
    with pytest.raises(Re2Error, match="is not a regular expression") as raised:
        to_python(pattern)
    assert raised.value.syntax


@pytest.mark.parametrize("pattern", ["(" * 1200 + "a" + ")" * 1200, "[[]", "a{,3}"])
def test_any_pattern_ends_translated_or_refused_never_another_error(pattern):
    with contextlib.suppress(Re2Error):  # a refusal is an answer; any other error is not
        re.compile(to_python(pattern))
