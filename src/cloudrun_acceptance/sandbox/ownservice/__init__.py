"""The team's own service, which the sandbox runs when the contract has a ``sandbox``
section.

``process`` runs its command as a child process (the one part of the sandbox that is not a
thread) with Cloud Run's environment, and writes its output to the revision's log; ``proxy`` is
the ASGI app behind the front end that forwards each request to it.
"""
