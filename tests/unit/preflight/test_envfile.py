"""env.yaml read node by node: each entry's line, and whether YAML reads it as a string."""

from __future__ import annotations

from cloudrun_acceptance.preflight.envfile import read_env_file


def test_unquoted_booleans_and_numbers_are_not_strings(tmp_path):
    path = tmp_path / "env.yaml"
    path.write_text('# env\nA: "true"\nB: true\nC: 1\nD: text\n')
    env = read_env_file(path)
    assert [(e.key, e.value, e.line, e.is_string, e.tag) for e in env.entries] == [
        ("A", "true", 2, True, "str"),
        ("B", "true", 3, False, "bool"),
        ("C", "1", 4, False, "int"),
        ("D", "text", 5, True, "str"),
    ]


def test_missing_invalid_or_not_a_mapping(tmp_path):
    assert not read_env_file(tmp_path / "env.yaml").found
    bad = tmp_path / "bad.yaml"
    bad.write_text("A: [unclosed\n")
    assert read_env_file(bad).error.startswith("not valid YAML at line")
    listed = tmp_path / "list.yaml"
    listed.write_text("- a\n")
    assert read_env_file(listed).error == "not a mapping of NAME: value lines"
