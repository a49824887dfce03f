"""A Secret never prints itself."""

from __future__ import annotations

from cloudrun_acceptance.model.secret import Secret


def test_secret_is_masked_everywhere_but_reveal():
    secret = Secret("Bearer abc123")
    assert (
        "abc123" not in repr(secret) and "abc123" not in str(secret) and "abc123" not in f"{secret}"
    )
    assert secret.reveal() == "Bearer abc123"


def _jwt(claims: dict) -> Secret:
    import base64
    import json

    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return Secret(f"Bearer eyJhbGciOiJSUzI1NiJ9.{body}.c2lnbmF0dXJl")


def test_a_tokens_member_is_named_from_its_email_claim_never_the_token():
    from cloudrun_acceptance.model.secret import token_member

    robot = _jwt({"email": "gate@p.iam.gserviceaccount.com", "aud": "https://svc"})
    assert token_member(robot) == "serviceAccount:gate@p.iam.gserviceaccount.com"
    assert token_member(_jwt({"email": "ann@example.com"})) == "user:ann@example.com"
    assert token_member(_jwt({"sub": "123"})) == ""
    assert token_member(Secret("Bearer opaque-token")) == ""
    assert token_member(Secret("Bearer a.!!!.c")) == ""
    assert token_member(None) == ""
