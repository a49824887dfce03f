"""The service's address read from a v2 Service's JSON, and the credentials of that read."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from cloudrun_acceptance.google.address import (
    address_of,
    credentials_for,
    endpoint_base,
    service_path,
)
from cloudrun_acceptance.model.service import ServiceAddress, ServiceRef

REF = ServiceRef("p", "europe-west1", "svc")
LATEST = "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST"
REVISION = "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION"


def service(**changes: Any) -> dict[str, Any]:
    """A settled service whose latest ready revision serves everything; a candidate tagged."""
    body: dict[str, Any] = {
        "name": REF.name,
        "uri": "https://svc-abc-ew.a.run.app",
        "generation": "3",
        "observedGeneration": "3",
        "latestReadyRevision": f"{REF.name}/revisions/svc-00003",
        "latestCreatedRevision": f"{REF.name}/revisions/svc-00003",
        "trafficStatuses": [
            {"type": REVISION, "revision": "svc-00002", "percent": 100},
            {
                "type": REVISION,
                "revision": "svc-00003",
                "tag": "candidate",
                "uri": "https://candidate---svc-abc-ew.a.run.app",
            },
        ],
    }
    body.update(changes)
    return body


def test_the_latest_ready_revision_at_the_service_url():
    assert address_of(service(), revision=None, tag=None) == ServiceAddress(
        "https://svc-abc-ew.a.run.app", "svc-00003"
    )


def test_a_tagged_candidate_at_its_tag_url():
    assert address_of(service(), revision=None, tag="candidate") == ServiceAddress(
        "https://candidate---svc-abc-ew.a.run.app", "svc-00003", "candidate"
    )


def test_a_tag_on_latest_follows_the_latest_ready_revision():
    rows = [{"type": LATEST, "percent": 100, "tag": "edge", "uri": "https://edge---svc.a.run.app"}]
    found = address_of(service(trafficStatuses=rows), revision=None, tag="edge")
    assert found == ServiceAddress("https://edge---svc.a.run.app", "svc-00003", "edge")


@pytest.mark.parametrize(
    ("body", "revision", "tag"),
    [
        (service(reconciling=True), None, None),
        (service(observedGeneration="2"), None, None),
        (service(generation="three"), None, None),
        (service(latestReadyRevision=""), None, None),
        (service(uri=""), None, None),
        # A pinned older revision: its readiness is only in the revision itself.
        (service(), "svc-00001", None),
        (service(), None, "nightly"),
        # The tag points at a revision that failed: the latest ready one is older.
        (service(latestReadyRevision=f"{REF.name}/revisions/svc-00002"), None, "candidate"),
        # The tag was not moved by the deploy that created the newest revision.
        (service(latestCreatedRevision=f"{REF.name}/revisions/svc-00004"), None, "candidate"),
        (service(trafficStatuses="none"), None, "candidate"),
        (["not", "a", "service"], None, None),
        (None, None, None),
    ],
    ids=[
        "reconciling",
        "generation not observed",
        "generation not a number",
        "no ready revision",
        "no URL",
        "pinned revision",
        "tag missing",
        "tag on a failed revision",
        "tag left behind",
        "traffic malformed",
        "not an object",
        "not JSON",
    ],
)
def test_an_answer_that_cannot_tell_for_sure_gives_none(body, revision, tag):
    assert address_of(body, revision=revision, tag=tag) is None


def test_the_request_goes_to_the_v2_service():
    assert endpoint_base(None) + service_path(REF) == (
        "https://run.googleapis.com/v2/projects/p/locations/europe-west1/services/svc"
    )
    assert endpoint_base("http://127.0.0.1:8123") == "http://127.0.0.1:8123"
    assert endpoint_base("europe-west1-run.googleapis.com") == (
        "https://europe-west1-run.googleapis.com"
    )


def test_an_http_endpoint_is_read_anonymously():
    found = credentials_for("http://127.0.0.1:8123")
    assert found is not None
    assert type(found.credentials).__name__ == "AnonymousCredentials"
    assert found.authorization is None
    assert not found.headers


def test_without_application_default_credentials_the_library_reports(monkeypatch, tmp_path):
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "missing.json"))
    assert credentials_for(None) is None


@pytest.fixture
def token_endpoint() -> Iterator[str]:
    """A local OAuth token endpoint that grants ``token-123`` to a refresh token."""

    class Grant(BaseHTTPRequestHandler):
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            body = json.dumps({"access_token": "token-123", "expires_in": 3600}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Grant)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/token"
    server.shutdown()
    server.server_close()


def test_application_default_credentials_are_refreshed_once_for_both_reads(
    monkeypatch, tmp_path: Path, token_endpoint: str
):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    adc = tmp_path / "adc.json"
    adc.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "p",
                "private_key_id": "1",
                "private_key": pem,
                "client_email": "gate@p.iam.gserviceaccount.com",
                "token_uri": token_endpoint,
            }
        )
    )
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(adc))
    monkeypatch.setenv("GOOGLE_CLOUD_QUOTA_PROJECT", "billing-project")
    found = credentials_for(None)
    assert found is not None
    assert found.authorization is not None
    assert found.authorization.reveal() == "Bearer token-123"
    assert found.credentials.token == "token-123"  # the library is given the same token
    assert dict(found.headers) == {"x-goog-user-project": "billing-project"}
