"""The embedded sandbox: a reference service, a local Cloud Run Admin API and a local Logging API.

Imports model and config, never plugin. Its ``__init__`` and ``faults`` import nothing heavy;
FastAPI and uvicorn are imported only when a sandbox is started (``sandbox.launcher``).
"""

from __future__ import annotations

from .faults import FAULTS, Behaviour, Fault, behaviour_for

__all__ = ["FAULTS", "Behaviour", "Fault", "behaviour_for"]
