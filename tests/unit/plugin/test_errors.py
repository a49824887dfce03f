"""The one place where the gate's ConfigError becomes pytest's UsageError, same message."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.model.errors import ConfigError
from cloudrun_acceptance.plugin.errors import usage_errors


def test_a_config_error_becomes_a_usage_error_with_its_message_and_cause():
    with pytest.raises(pytest.UsageError) as caught, usage_errors():
        raise ConfigError("'x' from --auth (command line) is not one of none; use --auth=none.")
    assert (
        str(caught.value) == "'x' from --auth (command line) is not one of none; use --auth=none."
    )
    assert isinstance(caught.value.__cause__, ConfigError)


def test_other_errors_pass_through():
    with pytest.raises(KeyError), usage_errors():
        raise KeyError("x")
