"""The gate's version, read from the installed package's metadata (pyproject.toml has it once),
and the version of the contract's format that it reads."""

from __future__ import annotations

from importlib import metadata

try:
    VERSION = metadata.version("cloudrun-acceptance")
except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree, not installed
    VERSION = "0+unknown"

# The contract's format (its `version:` key). 1, unwritten: cloudrun-acceptance 0.1, whose
# `init` copied the built-in checks into the repository; 2: the checks come from the package.
CONTRACT_VERSION = 2
