"""--auth: the bearer token from the environment, and what to do without one."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.model.errors import ConfigError
from cloudrun_acceptance.probe.auth import authorization


def test_bearer_reads_the_named_variable():
    header = authorization("bearer", "MY_TOKEN", "https://svc", {"MY_TOKEN": "abc123"})
    assert header is not None and header.reveal() == "Bearer abc123"
    assert authorization("none", "MY_TOKEN", "https://svc", {"MY_TOKEN": "abc"}) is None


def test_bearer_without_a_token_says_how_to_get_one():
    with pytest.raises(ConfigError) as caught:
        authorization("bearer", "SERVICE_TOKEN", "https://svc", {})
    message = str(caught.value)
    assert (
        "reads the token from the SERVICE_TOKEN environment variable, which is not set" in message
    )
    assert "gcloud auth print-identity-token" in message
