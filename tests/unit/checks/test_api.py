"""A check whose input a Google API could not give fails with the API's error and advice."""

from __future__ import annotations

from cloudrun_acceptance.checks.api import api_failure
from cloudrun_acceptance.model.errors import AdminApiError


def test_the_api_error_is_the_failure():
    verdict = api_failure(AdminApiError("the Admin API denied run.services.get", "grant it.", 403))
    assert verdict.status == "failed"
    assert verdict.message == "the Admin API denied run.services.get\nWhat to do: grant it."
