"""Resource quantities compare by value."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.checks.quantity import same_quantity


@pytest.mark.parametrize(
    ("expected", "actual", "same"),
    [
        ("2", "2000m", True),
        ("4Gi", "4096Mi", True),
        ("4Gi", "4G", False),
        ("1", "1", True),
        ("2", "two", False),
    ],
)
def test_quantities_compare_by_value(expected, actual, same):
    assert same_quantity(expected, actual) is same
