"""Tokens are used, never shown."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.auth import Secret, authorization


def test_secret_is_masked_everywhere_but_reveal():
    secret = Secret("Bearer abc123")
    assert (
        "abc123" not in repr(secret) and "abc123" not in str(secret) and "abc123" not in f"{secret}"
    )
    assert secret.reveal() == "Bearer abc123"


def test_bearer_reads_the_named_variable():
    header = authorization("bearer", "MY_TOKEN", "https://svc", {"MY_TOKEN": "abc123"})
    assert header is not None and header.reveal() == "Bearer abc123"
    assert authorization("none", "MY_TOKEN", "https://svc", {"MY_TOKEN": "abc"}) is None


def test_bearer_without_a_token_says_how_to_get_one():
    with pytest.raises(pytest.UsageError) as caught:
        authorization("bearer", "SERVICE_TOKEN", "https://svc", {})
    message = str(caught.value)
    assert (
        "reads the token from the SERVICE_TOKEN environment variable, which is not set" in message
    )
    assert "gcloud auth print-identity-token" in message
