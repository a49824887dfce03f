"""Prometheus' vocabulary from prometheus_client itself, not a copy: the types and the name rule."""

from __future__ import annotations

import re

from prometheus_client.metrics_core import METRIC_TYPES as _TYPES

try:
    from prometheus_client.validation import METRIC_NAME_RE as _NAME
except ImportError:  # pragma: no cover - prometheus_client before 0.21 kept it here
    from prometheus_client.metrics_core import (  # type: ignore[attr-defined,no-redef]
        METRIC_NAME_RE as _NAME,
    )

METRIC_TYPES: tuple[str, ...] = tuple(_TYPES)
METRIC_NAME: re.Pattern[str] = _NAME


def is_metric_name(name: str) -> bool:
    """True for a classic metric name: letters, digits, ``_`` and ``:``, not a digit first."""
    return METRIC_NAME.fullmatch(name) is not None
