"""cloudrun-acceptance: the acceptance gate for a Cloud Run revision, as a pytest plugin.

The public surface: load a contract and env.yaml, resolve settings, parse an exposition, and
the values they give. The pytest plugin itself is ``cloudrun_acceptance.plugin.hooks``.
"""

from __future__ import annotations

from .config.contract import load_contract
from .config.envfile import load_env_file
from .config.settings import Settings, Sources, resolve_settings
from .metrics.exposition import parse_exposition
from .model.contract import Contract
from .model.errors import ConfigError, ExpositionError
from .model.exposition import Snapshot
from .model.verdict import Verdict
from .model.version import VERSION as __version__

__all__ = [
    "ConfigError",
    "Contract",
    "ExpositionError",
    "Settings",
    "Snapshot",
    "Sources",
    "Verdict",
    "__version__",
    "load_contract",
    "load_env_file",
    "parse_exposition",
    "resolve_settings",
]
