"""A certificate this machine does not trust: found behind httpx's error, said in ssl's own
words, and advised on (SSL_CERT_FILE, which the gate's httpx client honours)."""

from __future__ import annotations

import ssl

import httpx

from cloudrun_acceptance.model.exchange import Exchange
from cloudrun_acceptance.probe.tls import (
    CI_HOWTO,
    untrusted_certificate,
    untrusted_error,
    verification_error,
)

VERIFY = (
    "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer "
    "certificate (_ssl.c:1006)"
)


def chained() -> httpx.ConnectError:
    try:
        try:
            raise ssl.SSLCertVerificationError(1, VERIFY)
        except ssl.SSLCertVerificationError as err:
            raise OSError("httpcore's wrapper") from err
    except OSError as wrapper:
        error = httpx.ConnectError(VERIFY)
        error.__cause__ = wrapper
        return error


def test_the_verification_failure_is_found_behind_httpx_and_said_without_ssl_c_line():
    found = verification_error(chained())
    assert isinstance(found, ssl.SSLCertVerificationError)
    assert untrusted_error(found) == (
        "the server's TLS certificate is not trusted here: [SSL: CERTIFICATE_VERIFY_FAILED] "
        "certificate verify failed: unable to get local issuer certificate"
    )
    assert verification_error(httpx.ConnectError("[Errno 111] Connection refused")) is None


def test_the_advice_names_the_host_ssl_cert_file_and_the_ci_how_to():
    exchange = Exchange(
        "GET",
        "https://shop.corp.example:8443/healthz",
        error=untrusted_error(ssl.SSLCertVerificationError(1, VERIFY)),
        error_kind="certificate",
    )
    permanent = untrusted_certificate(exchange)
    assert permanent.cause == (
        "the TLS certificate of shop.corp.example:8443 is not trusted on this machine ([SSL: "
        "CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer "
        "certificate)"
    )
    assert permanent.evidence == (f"last attempt: {exchange.describe()}",)
    for part in (
        "re-signed by a TLS-inspecting proxy",
        "set SSL_CERT_FILE to a PEM bundle that holds it (or SSL_CERT_DIR",
        CI_HOWTO,
    ):
        assert part in permanent.advice
    assert "--ready-timeout" not in permanent.advice
