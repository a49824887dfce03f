"""The requirements a contract names, read without packaging when plainly valid: never a
string packaging would refuse, and every other string judged by packaging itself."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.requirements import InvalidRequirement, Requirement

from cloudrun_acceptance.config.contract import PLAIN_REQUIREMENT

PLAIN = [
    "prometheus-client",
    "a",
    "Z9",
    "zope.interface",
    "foo_bar",
    "x==1",
    "x >= 0.20",
    "x==2.0.1",
]
# Left to packaging: valid (extras, markers, wildcards, other operators) or not.
OTHERS = [
    "x[extra]",
    "x; python_version > '3'",
    "x==1.*",
    "x~=1.2",
    "x>=1.0a1",
    "x<2",
    "-x",
    "x-",
    "x==",
    "x>=>1",
    "x==1.",
    ".x",
    "",
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_requirements_are_read_without_packaging_and_packaging_agrees(text):
    assert PLAIN_REQUIREMENT.fullmatch(text)
    Requirement(text)


@pytest.mark.parametrize("text", OTHERS)
def test_anything_else_is_packagings_to_judge(text):
    assert not PLAIN_REQUIREMENT.fullmatch(text)


@given(st.text(alphabet="aZ09._-=> <~![];*", max_size=12))
def test_nothing_the_fast_path_accepts_is_refused_by_packaging(text):
    if PLAIN_REQUIREMENT.fullmatch(text):
        try:
            Requirement(text)
        except InvalidRequirement as err:  # pragma: no cover - the failure this test looks for
            pytest.fail(f"{text!r} passed the fast path, but packaging says: {err}")
