"""An https service whose certificate this machine does not trust (self-signed here, as a
company's TLS-inspecting proxy re-signs everything): the gate stops waiting at once, names the
host and ssl's own error, and says how to trust the CA; with SSL_CERT_FILE naming the
certificate, the same service passes.

The gate runs in a child process with a ready timeout far longer than the test's own deadline
(``runpytest_subprocess``'s timeout): a run that waited for it would not return in time."""

from __future__ import annotations

import ipaddress
import json
import shutil
import ssl
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from cloudrun_acceptance.probe.tls import CI_HOWTO
from tests.paths import REPO

# Far beyond the child run's deadline below: only a wait that ends at once returns in time.
READY_TIMEOUT = "3600"
RUN_DEADLINE = 120
CONTRACT = "version: 2\nhealth:\n  path: /healthz\n"
# With a metrics section, the metrics checks wait for the health answer: "not checked".
WITH_METRICS = CONTRACT + "metrics:\n  path: /metrics\n"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost that signs itself, and its key (PEM files)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "gate test CA")])
    now = datetime.now(UTC)
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "service.pem", folder / "service.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class _Health(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = json.dumps({"status": "ok"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _TlsServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that refuses the certificate ends its handshake: expected here


@pytest.fixture
def https_service(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real https server on loopback answering /healthz, and its self-signed certificate."""
    cert, key = self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = _TlsServer(("127.0.0.1", 0), _Health)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", cert
    finally:
        server.shutdown()
        server.server_close()


def gate_of(pytester: pytest.Pytester, contract: str = CONTRACT) -> None:
    shutil.copy(REPO / "pytest.ini", pytester.path / "pytest.ini")
    (pytester.path / "tests/acceptance").mkdir(parents=True)
    (pytester.path / "tests/acceptance/contract.yaml").write_text(contract)


def run(pytester: pytest.Pytester, url: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", f"--service-url={url}", f"--ready-timeout={READY_TIMEOUT}",
        timeout=RUN_DEADLINE,
    )  # fmt: skip


def test_an_untrusted_certificate_fails_at_once_and_says_how_to_trust_the_ca(
    pytester, monkeypatch, https_service
):
    url, _ = https_service
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    gate_of(pytester, WITH_METRICS)
    result = run(pytester, url)
    host = url.removeprefix("https://")
    result.stdout.fnmatch_lines(
        [
            f"the service cannot answer {url}/healthz: the TLS certificate of {host} is not "
            "trusted on this machine ([[]SSL: CERTIFICATE_VERIFY_FAILED[]] certificate verify "
            "failed: self*signed certificate)",
            f"  last attempt: GET {url}/healthz -> the server's TLS certificate is not trusted "
            "here: *",
            "  the gate stopped waiting after * s (1 attempt), not at the 3600 s ready timeout: "
            "waiting does not change this",
            "What to do: a certificate error does not go away by waiting, so the gate stopped at "
            f"once. If {host} is signed by a CA of your own or re-signed by a TLS-inspecting "
            "proxy, trust that CA: set SSL_CERT_FILE to a PEM bundle that holds it (or "
            "SSL_CERT_DIR to a folder of hashed certificates), then run the gate again;*In a "
            f"pipeline, set it as {CI_HOWTO} shows.*",
        ],
        consecutive=True,
    )
    result.stdout.fnmatch_lines(
        [
            "*not checked: the service is not answering (the TLS certificate of "
            f"{host} is not trusted on this machine*; the wait ended after * s (1 attempt))*"
        ]
    )
    assert "raise --ready-timeout" not in result.stdout.str()
    assert result.ret == 1
    report = next((pytester.path / "reports").glob("*.md")).read_text()
    assert f"the TLS certificate of {host} is not trusted on this machine" in report
    assert "set SSL_CERT_FILE to a PEM bundle that holds it" in report


def test_with_ssl_cert_file_naming_the_certificate_the_same_service_passes(
    pytester, monkeypatch, https_service
):
    url, cert = https_service
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    gate_of(pytester)
    result = run(pytester, url)
    result.stdout.fnmatch_lines(["*cloudrun_acceptance/gate/test_health.py .*"])
    assert result.ret == 0, result.stdout.str()
