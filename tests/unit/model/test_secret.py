"""A Secret never prints itself."""

from __future__ import annotations

from cloudrun_acceptance.model.secret import Secret


def test_secret_is_masked_everywhere_but_reveal():
    secret = Secret("Bearer abc123")
    assert (
        "abc123" not in repr(secret) and "abc123" not in str(secret) and "abc123" not in f"{secret}"
    )
    assert secret.reveal() == "Bearer abc123"
