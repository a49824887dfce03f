"""`cloudrun-acceptance init`: the gate scaffolded into another repository, from package data.

Imports model and the standard library; nothing imports it.
"""
