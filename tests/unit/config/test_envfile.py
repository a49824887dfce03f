"""env.yaml, read node by node: each entry's line and YAML type, and strings only, as gcloud
--env-vars-file takes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudrun_acceptance.config.envfile import load_env_file, read_env_entries
from cloudrun_acceptance.model.errors import ConfigError


def write(tmp_path: Path, text: str, name: str = "contract.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_env_file_reads_strings(tmp_path):
    path = write(tmp_path, 'A: "true"\nB: ""\n', "env.yaml")
    assert load_env_file(path) == {"A": "true", "B": ""}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- A\n- B\n", 'is not a mapping of NAME: value lines; write one NAME: "value" per line.'),
        (
            "PORT: 8080\n",
            'line 1: PORT: 8080 is read as a number, not a string, and gcloud --env-vars-file takes strings only; quote it: PORT: "8080".',
        ),
        (
            'A: "x"\nSHOP_METRICS: on\n',
            'line 2: SHOP_METRICS: on is read as a boolean, not a string, and gcloud --env-vars-file takes strings only; quote it: SHOP_METRICS: "on".',
        ),
        ("A-B: x\n", "is line 1: 'A-B' is not an env var name (letters, digits and _)"),
        (
            "EMPTY:\n",
            'line 1: EMPTY:  is read as nothing, not a string, and gcloud --env-vars-file takes strings only; quote it: EMPTY: "".',
        ),
        ("A: x\nB: y\nA: z\n", "is line 3: A is given again (first at line 1)"),
    ],
)
def test_env_file_errors(tmp_path, text, message):
    with pytest.raises(ConfigError, match="env file") as caught:
        load_env_file(write(tmp_path, text, "env.yaml"))
    assert message in str(caught.value)


def test_a_missing_env_file_names_where_its_path_came_from(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_env_file(tmp_path / "missing.yaml", "--env-file (command line)")
    assert str(caught.value) == (
        f"env file {tmp_path / 'missing.yaml'} (from --env-file (command line)) does not exist; "
        "pass --env-file=PATH to an existing file."
    )


def test_several_problems_name_the_first_and_count_the_others(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_env_file(write(tmp_path, "A: 1\nB: true\n", "env.yaml"))
    assert str(caught.value).endswith('quote it: A: "1". (and 1 more)')


def test_unquoted_booleans_and_numbers_are_not_strings(tmp_path):
    path = tmp_path / "env.yaml"
    path.write_text('# env\nA: "true"\nB: true\nC: 1\nD: text\n')
    env = read_env_entries(path)
    assert [(e.key, e.value, e.line, e.is_string, e.tag) for e in env.entries] == [
        ("A", "true", 2, True, "str"),
        ("B", "true", 3, False, "bool"),
        ("C", "1", 4, False, "int"),
        ("D", "text", 5, True, "str"),
    ]


def test_missing_invalid_or_not_a_mapping(tmp_path):
    assert not read_env_entries(tmp_path / "env.yaml").found
    bad = tmp_path / "bad.yaml"
    bad.write_text("A: [unclosed\n")
    assert read_env_entries(bad).error.startswith("not valid YAML at line")
    listed = tmp_path / "list.yaml"
    listed.write_text("- a\n")
    assert read_env_entries(listed).error == "not a mapping of NAME: value lines"
