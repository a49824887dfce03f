"""One table turns the Google clients' exceptions into the gate's messages, for both APIs."""

from __future__ import annotations

import pytest
import requests
from google.api_core import exceptions
from google.auth.exceptions import DefaultCredentialsError

from cloudrun_acceptance.google.errors import ApiCall, api_message, is_local, redacted, translate
from cloudrun_acceptance.model.errors import AdminApiError, LoggingApiError


@pytest.fixture(autouse=True)
def _no_credentials(monkeypatch, tmp_path):
    """Application Default Credentials that say nothing: no file, no gcloud, no metadata server."""
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "none.json"))
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path))


CALL = ApiCall(
    api="Cloud Run Admin API",
    endpoint="run.googleapis.com",
    option="--cloudrun-endpoint (CLOUDRUN_API_ENDPOINT)",
    permission="run.services.get",
    resource="projects/p/locations/r/services/s",
    project="p",
    role="roles/run.viewer",
    timeout=5,
    needs=" (it needs run.services.get and run.revisions.get)",
)


@pytest.mark.parametrize(
    ("error", "status", "summary", "advice"),
    [
        (
            exceptions.Forbidden("GET https://run.googleapis.com/v2/x: Permission denied"),
            403,
            "the Cloud Run Admin API denied run.services.get on projects/p/locations/r/services/s "
            "(403: Permission denied)",
            "grant the gate's identity roles/run.viewer on project p (it needs run.services.get "
            "and run.revisions.get) (gcloud projects add-iam-policy-binding p "
            "--role=roles/run.viewer, with --member=serviceAccount:EMAIL or user:EMAIL of the "
            "identity the gate runs as).",
        ),
        (
            exceptions.PermissionDenied("denied"),
            403,
            "the Cloud Run Admin API denied run.services.get on projects/p/locations/r/services/s "
            "(403: denied)",
            "grant the gate's identity roles/run.viewer",
        ),
        (
            exceptions.Unauthorized("expired"),
            401,
            "the Cloud Run Admin API rejected the credentials (401: expired)",
            "gcloud auth application-default login",
        ),
        (
            exceptions.RetryError(
                "Timeout of 5.0s exceeded", exceptions.ServiceUnavailable("down")
            ),
            None,
            "the Cloud Run Admin API at run.googleapis.com did not answer run.services.get "
            "successfully within 5 s (last: ServiceUnavailable: down)",
            "https://status.cloud.google.com and --cloudrun-endpoint (CLOUDRUN_API_ENDPOINT).",
        ),
        (
            exceptions.Conflict("etag mismatch"),
            409,
            "the Cloud Run Admin API refused run.services.get on projects/p/locations/r/services/s: "
            "the service changed after the gate read it (409: etag mismatch)",
            "nothing was changed.",
        ),
        (
            exceptions.TooManyRequests("quota"),
            429,
            "the Cloud Run Admin API failed run.services.get: 429 quota",
            "the request was projects/p/locations/r/services/s",
        ),
        (
            requests.exceptions.ConnectionError("refused"),
            None,
            "the Cloud Run Admin API at run.googleapis.com could not be reached (ConnectionError)",
            "check the network and --cloudrun-endpoint (CLOUDRUN_API_ENDPOINT).",
        ),
        (
            DefaultCredentialsError("no ADC"),
            None,
            "no Google credentials to call the Cloud Run Admin API",
            "with roles/run.viewer on project p.",
        ),
    ],
)
def test_each_error_has_its_message_and_advice(error, status, summary, advice):
    translated = translate(error, CALL, AdminApiError)
    assert isinstance(translated, AdminApiError)
    assert (translated.status, translated.summary) == (status, summary)
    assert advice in translated.advice


def test_a_rejected_filter_names_what_was_rejected_and_how_to_fix_it():
    call = ApiCall(
        **{**vars(CALL), "api": "Cloud Logging API", "request": "filter", "bad_request": "use RE2."}
    )
    translated = translate(
        exceptions.BadRequest("Invalid regular expression"), call, LoggingApiError
    )
    assert isinstance(translated, LoggingApiError)
    assert (
        translated.summary
        == "the Cloud Logging API rejected the filter (400: Invalid regular expression)"
    )
    assert translated.advice == "use RE2."


def test_an_error_the_table_does_not_know_is_left_alone():
    assert translate(KeyError("x"), CALL, AdminApiError) is None


def test_messages_lose_the_rest_prefix_and_local_endpoints_are_http():
    assert api_message(exceptions.NotFound("GET http://h/v2/x: not here")) == "not here"
    assert is_local("http://127.0.0.1:9") and not is_local("run.googleapis.com")
    assert not is_local(None)


def test_a_translated_error_keeps_no_credential_its_message_quoted():
    quoted = exceptions.InternalServerError(
        "GET https://gate:hunter2@monitoring.example/v3/projects/p/timeSeries?key=AIzaSecret"
        "&alt=json returned Authorization: Bearer ya29.a0Secret"
    )
    error = translate(quoted, CALL, LoggingApiError)
    assert error is not None
    for secret in ("hunter2", "AIzaSecret", "ya29.a0Secret"):
        assert secret not in error.summary
    assert "https://***@monitoring.example" in error.summary
    assert "?key=***&alt=json" in error.summary and "Bearer ***" in error.summary


def test_what_is_not_a_credential_is_kept():
    text = "grant roles/monitoring.viewer (--member=serviceAccount:gate@p.iam.gserviceaccount.com)"
    assert redacted(text) == text
