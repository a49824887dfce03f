"""The fault profiles: each turns the sandbox into one kind of broken deployment.

``fault`` says what a profile is; ``profiles`` holds the table, ``FAULTS`` (which
``cloudrun_acceptance.sandbox`` exports), with the profiles of a revision, its logs and the
Admin API, and gathers those of ``noise`` (noisy comparisons), ``rollout`` (a rollout in steps)
and ``regions`` (one service in several regions). A profile changes the sandbox's ``Behaviour``
(``sandbox/behaviour.py``). Light to import: nothing here starts a server or imports FastAPI or
uvicorn; the launching modules (``sandbox/launch.py``, ``sandbox/launcher.py``) import the
profiles, never the reverse.
"""
