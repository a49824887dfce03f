"""The pytest plugin: hooks, fixtures, the gate fixture and run state; pytest's own layer.

Imports every other layer; reaches sandbox/ only to start it for ``--sandbox`` (launch.py, lazily).
Nothing imports it.
"""
