"""The service over httpx: the client, auth, readiness, scrapes, and counters around an action.

Imports model, metrics and httpx (google-auth lazily, for ``--auth id-token``); never config,
google or pytest.
"""
