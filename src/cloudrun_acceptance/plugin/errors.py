"""The one place where the gate's usage errors become pytest's (exit code 4)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from ..model.errors import ConfigError


@contextlib.contextmanager
def usage_errors() -> Iterator[None]:
    """Turn a ConfigError raised inside into ``pytest.UsageError``, with the same message."""
    try:
        yield
    except ConfigError as err:
        raise pytest.UsageError(str(err)) from err
