"""Resource quantities as Kubernetes writes them: ``2`` is ``2000m``, ``4Gi`` is ``4096Mi``."""

from __future__ import annotations

import re

_QUANTITY = re.compile(r"^([0-9.]+)([A-Za-z]*)$")
_MULTIPLIERS = {
    "": 1,
    "m": 1e-3,
    "k": 1e3,
    "M": 1e6,
    "G": 1e9,
    "T": 1e12,
    "Ki": 2**10,
    "Mi": 2**20,
    "Gi": 2**30,
    "Ti": 2**40,
}


def same_quantity(expected: str, actual: str) -> bool:
    """Resource quantities compare by value: ``2`` is ``2000m``, ``4Gi`` is ``4096Mi``."""
    if expected.strip() == actual.strip():
        return True
    left, right = _QUANTITY.match(expected.strip()), _QUANTITY.match(actual.strip())
    if not left or not right or left[2] not in _MULTIPLIERS or right[2] not in _MULTIPLIERS:
        return False
    return float(left[1]) * _MULTIPLIERS[left[2]] == float(right[1]) * _MULTIPLIERS[right[2]]
