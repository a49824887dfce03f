"""The embedded sandbox: a Cloud Run deployment on loopback, split by the API each part emulates.

- ``admin/``: the local Cloud Run Admin API (v2 REST and v1 Knative, over one service state);
- ``logging/``: the local Cloud Logging API (``entries:list`` and its filter language);
- ``monitoring/``: the local Cloud Monitoring API (``timeSeries.list`` of request_count);
- ``reference/``: the example's reference service (its FastAPI app, instances, service times);
- ``ownservice/``: the team's own service, run as a child process behind a proxy;
- ``platform/``: what Cloud Run does around any service (the deployment and its log, traffic,
  the front door, users) and what the APIs share (the JSON server);
- ``faults/``: the fault profiles, each a change to ``behaviour.Behaviour``, the one table of
  knobs every part reads;
- ``launcher`` starts one sandbox, ``launch`` the sandboxes a contract and its faults ask for
  (one per region), ``__main__`` runs them from the command line.

Imports model and config, never plugin. Its ``__init__``, ``behaviour`` and ``faults/`` import
nothing heavy; FastAPI and uvicorn are imported only when a sandbox is started
(``sandbox.launcher``).
"""

from __future__ import annotations

from .faults.profiles import FAULTS, Behaviour, Fault, behaviour_for

__all__ = ["FAULTS", "Behaviour", "Fault", "behaviour_for"]
