"""The YAML validator names the file, the key path, the value and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudrun_acceptance.config.yamlnode import Node, read_yaml
from cloudrun_acceptance.model.errors import ConfigError

SOURCE = Path("c.yaml")


def node(value: object) -> Node:
    return Node(value, "", SOURCE)


def test_key_paths_name_the_place_of_a_bad_value():
    root = node({"metrics": {"expected": [{"type": [3]}]}})
    item = root.child("metrics").child("expected").items()[0]
    with pytest.raises(ConfigError) as caught:
        item.child("type").text("")
    assert str(caught.value) == (
        'c.yaml: metrics.expected[0].type: expected text, got a list ([3]); quote it: "value".'
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: node({"x": 1, "y": 2}).mapping(("x",)), "unknown key 'y'; use one of x."),
        (lambda: node(-1).number(0), "-1 is out of range; give a number 0 or more."),
        (
            lambda: node(0).number(1, positive=True),
            "0 is out of range; give a number greater than 0.",
        ),
        (lambda: node(1.5).integer(1), "1.5 is not a whole number; write an integer."),
        (lambda: node("b").choice(("a",), "a"), "'b' is not one of a; use a."),
        (lambda: node("healthz").path("/"), "'healthz' is not a path; start it with /"),
        (lambda: node(True).number(1), "expected a number, got a boolean (True)"),
        (lambda: node("x").items(), "expected a list, got text ('x')"),
    ],
)
def test_each_kind_of_value_says_what_is_wrong_and_the_fix(call, message):
    with pytest.raises(ConfigError, match=r"^c\.yaml: ") as caught:
        call()
    assert message in str(caught.value)


def test_read_yaml_names_the_line_of_a_syntax_error(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("a: 1\nb: [unclosed\n")
    with pytest.raises(ConfigError) as caught:
        read_yaml(path, "contract", "fix it")
    assert f"contract {path} is not valid YAML at line" in str(caught.value)
    with pytest.raises(ConfigError, match=r"does not exist; fix it\."):
        read_yaml(tmp_path / "missing.yaml", "contract", "fix it")
