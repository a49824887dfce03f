"""A certificate this machine does not trust: found in a transport error, and said as a cause
no retry changes, with how to trust the CA that signed it.

The gate's client is httpx's with ``verify=True`` and ``trust_env`` left on (client.py), so
its CAs are certifi's bundle unless ``SSL_CERT_FILE`` (a PEM bundle) or ``SSL_CERT_DIR`` (a
folder of hashed certificates) names others: then those replace it (httpx's
``create_ssl_context``).
"""

from __future__ import annotations

import re
import ssl
from urllib.parse import urlsplit

from ..model.exchange import Exchange, Permanent

# The page that shows where a pipeline sets SSL_CERT_FILE for the gate (tests/unit/
# test_ci_howto.py holds that it does).
CI_HOWTO = 'the CI how-to (docs/how-to/ci.md, "Trusting a company CA")'
_SOURCE_LINE = re.compile(r"\s*\(_ssl\.c:\d+\)$")
UNTRUSTED = "the server's TLS certificate is not trusted here: "


def verification_error(err: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate verification failure behind ``err`` (httpx chains it), or None."""
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLCertVerificationError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def untrusted_error(err: ssl.SSLCertVerificationError) -> str:
    """The exchange's error for an untrusted certificate: ssl's own words, which an operator
    searches for (``[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: ...``)."""
    text = _SOURCE_LINE.sub("", str(err)) or "certificate verify failed"
    return UNTRUSTED + text


def untrusted_certificate(exchange: Exchange) -> Permanent:
    """Why the service cannot be checked from this machine, and how to trust its CA."""
    parts = urlsplit(exchange.url)
    host = parts.netloc or exchange.url
    detail = (exchange.error or "").removeprefix(UNTRUSTED)
    return Permanent(
        cause=f"the TLS certificate of {host} is not trusted on this machine ({detail})",
        evidence=(f"last attempt: {exchange.describe()}",),
        advice=(
            f"a certificate error does not go away by waiting, so the gate stopped at once. If "
            f"{host} is signed by a CA of your own or re-signed by a TLS-inspecting proxy, trust "
            "that CA: set SSL_CERT_FILE to a PEM bundle that holds it (or SSL_CERT_DIR to a "
            "folder of hashed certificates), then run the gate again; the bundle replaces the "
            "public CAs the gate trusts by default, so add your CA to a copy of them when other "
            f"hosts must verify too. In a pipeline, set it as {CI_HOWTO} shows. If the "
            "certificate has expired or names another host, the fix is the service's "
            "certificate."
        ),
    )
