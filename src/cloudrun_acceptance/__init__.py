"""cloudrun-acceptance: the acceptance gate for a Cloud Run revision, as a pytest plugin.

The public surface:

- a team's own checks: the verdict constructors (``passed``, ``failed``, ``inconclusive``) and
  ``Verdict`` for ``gate.expect``; the client the ``service`` fixtures give (``ServiceClient``)
  and its answers (``Exchange``, ``Headers``, ``ExchangeError``); the values the other fixtures
  give (``Target``, ``ServiceFacts``, ``RevisionFacts``, ``LogReader``, ``Snapshot``);
- load a contract and env.yaml, resolve settings, parse an exposition.

Importing it loads neither the plugin nor the Google clients (``LogReader`` imports
google-cloud-logging on its first call). The pytest plugin itself is
``cloudrun_acceptance.plugin.hooks``.
"""

from __future__ import annotations

from .config.contract import load_contract
from .config.envfile import load_env_file
from .config.settings import Settings, Sources, resolve_settings
from .google.logs import LogReader
from .metrics.exposition import parse_exposition
from .model.contract import Contract
from .model.errors import ConfigError, ExpositionError
from .model.exchange import Exchange, ExchangeError, Headers
from .model.exposition import Snapshot
from .model.service import RevisionFacts, ServiceFacts
from .model.target import Target
from .model.verdict import Verdict, failed, inconclusive, passed
from .model.version import VERSION as __version__
from .probe.client import ServiceClient

__all__ = [
    "ConfigError",
    "Contract",
    "Exchange",
    "ExchangeError",
    "ExpositionError",
    "Headers",
    "LogReader",
    "RevisionFacts",
    "ServiceClient",
    "ServiceFacts",
    "Settings",
    "Snapshot",
    "Sources",
    "Target",
    "Verdict",
    "__version__",
    "failed",
    "inconclusive",
    "load_contract",
    "load_env_file",
    "parse_exposition",
    "passed",
    "resolve_settings",
]
