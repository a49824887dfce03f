"""The version comes from the installed package's metadata, which pyproject.toml sets."""

from __future__ import annotations

import tomllib

import cloudrun_acceptance
from cloudrun_acceptance.model.version import VERSION
from tests.paths import REPO


def test_version_is_pyprojects():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert VERSION == project["version"] == cloudrun_acceptance.__version__
