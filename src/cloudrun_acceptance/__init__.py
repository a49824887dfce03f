"""cloudrun-acceptance: the acceptance gate for a Cloud Run revision, as a pytest plugin.

The public surface:

- a team's own checks: the verdict constructors (``passed``, ``failed``, ``inconclusive``) and
  ``Verdict`` for ``gate.expect``; the client the ``service`` fixtures give (``ServiceClient``)
  and its answers (``Exchange``, ``Headers``, ``ExchangeError``); the values the other fixtures
  give (``Target``, ``ServiceFacts``, ``RevisionFacts``, ``LogReader``, ``Snapshot``);
- load a contract and env.yaml, resolve settings, parse an exposition.

A team's check may also reuse the judgements of ``cloudrun_acceptance.judges`` and ask for the
plugin's fixtures by name. Every other module under ``cloudrun_acceptance`` is internal and may
change in any version (CHANGELOG.md holds the policy and tests/fixtures/public_surface.txt the
record).

Importing it loads neither the plugin nor the Google clients (``LogReader`` imports
google-cloud-logging on its first call), and each name's module loads on its first use: the
plugin, which imports only what a run needs, does not pay for the whole surface. The pytest
plugin itself is ``cloudrun_acceptance.plugin.hooks``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# name: (module, attribute)
_SURFACE = {
    "ConfigError": (".model.errors", "ConfigError"),
    "Contract": (".model.contract", "Contract"),
    "Exchange": (".model.exchange", "Exchange"),
    "ExchangeError": (".model.exchange", "ExchangeError"),
    "ExpositionError": (".model.errors", "ExpositionError"),
    "Headers": (".model.exchange", "Headers"),
    "LogReader": (".google.logs", "LogReader"),
    "RevisionFacts": (".model.service", "RevisionFacts"),
    "ServiceClient": (".probe.client", "ServiceClient"),
    "ServiceFacts": (".model.service", "ServiceFacts"),
    "Settings": (".config.settings", "Settings"),
    "Snapshot": (".model.exposition", "Snapshot"),
    "Sources": (".config.settings", "Sources"),
    "Target": (".model.target", "Target"),
    "Verdict": (".model.verdict", "Verdict"),
    "__version__": (".model.version", "VERSION"),
    "failed": (".model.verdict", "failed"),
    "inconclusive": (".model.verdict", "inconclusive"),
    "load_contract": (".config.contract", "load_contract"),
    "load_env_file": (".config.envfile", "load_env_file"),
    "parse_exposition": (".metrics.exposition", "parse_exposition"),
    "passed": (".model.verdict", "passed"),
    "resolve_settings": (".config.settings", "resolve_settings"),
}

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


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _SURFACE[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module, __name__), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
