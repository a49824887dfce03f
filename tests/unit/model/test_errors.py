"""The gate's errors carry their message, and an API error its advice and status."""

from __future__ import annotations

from cloudrun_acceptance.model.errors import (
    AdminApiError,
    ApiError,
    ConfigError,
    ExpositionError,
    LoggingApiError,
)


def test_api_errors_keep_summary_advice_and_status():
    error = AdminApiError("denied", "grant the role.", 403)
    assert isinstance(error, ApiError) and str(error) == "denied"
    assert (error.summary, error.advice, error.status) == ("denied", "grant the role.", 403)
    assert LoggingApiError("x", "y").status is None


def test_config_and_exposition_errors_are_plain_exceptions_with_their_message():
    assert (
        str(ConfigError("'x' from --auth is bad; use none.")) == "'x' from --auth is bad; use none."
    )
    assert isinstance(ExpositionError("not one"), ValueError)
