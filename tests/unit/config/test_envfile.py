"""env.yaml: strings only, as gcloud --env-vars-file takes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudrun_acceptance.config.envfile import load_env_file
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
        ("- A\n- B\n", "must be a mapping of NAME: \"value\" lines, got a list (['A', 'B'])"),
        (
            "PORT: 8080\n",
            'PORT is a number (8080), not a string, and gcloud --env-vars-file takes strings only; quote it: PORT: "8080".',
        ),
        ("A-B: x\n", "'A-B' is not an env var name; use letters, digits and _."),
        (
            "EMPTY:\n",
            'EMPTY is nothing, not a string, and gcloud --env-vars-file takes strings only; quote it: EMPTY: "".',
        ),
    ],
)
def test_env_file_errors(tmp_path, text, message):
    with pytest.raises(ConfigError, match="env file") as caught:
        load_env_file(write(tmp_path, text, "env.yaml"))
    assert message in str(caught.value)
