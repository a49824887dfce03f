"""The gate's version, read from the installed package's metadata (pyproject.toml has it once)."""

from __future__ import annotations

from importlib import metadata

try:
    VERSION = metadata.version("cloudrun-acceptance")
except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree, not installed
    VERSION = "0+unknown"
