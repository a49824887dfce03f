"""cloudrun-acceptance: the acceptance gate for a Cloud Run revision, as a pytest plugin."""

from __future__ import annotations

from .contract import Contract, load_contract, load_env_file
from .exposition import ExpositionError, Snapshot, parse_exposition
from .lint import Finding, lint
from .settings import Settings, resolve_settings
from .target import VERSION as __version__
from .verdict import Verdict

__all__ = [
    "Contract",
    "ExpositionError",
    "Finding",
    "Settings",
    "Snapshot",
    "Verdict",
    "__version__",
    "lint",
    "load_contract",
    "load_env_file",
    "parse_exposition",
    "resolve_settings",
]
