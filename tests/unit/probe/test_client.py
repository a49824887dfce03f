"""The HTTP client returns evidence, never raises, and never follows a redirect."""

from __future__ import annotations

import re
import time

from cloudrun_acceptance.model.secret import Secret
from cloudrun_acceptance.probe.client import ServiceClient


def test_redirect_is_returned_not_followed(serve):
    url = serve(lambda method, path: (302, {"Location": "/login"}, b""))
    client = ServiceClient(url)
    exchange = client.get("/api/health")
    assert (exchange.status, exchange.location) == (302, "/login")
    assert client.sent == client.answered == {"GET /api/health": 1}
    assert "Location: /login" in exchange.describe()


def test_refused_connection_is_an_exchange_with_the_error(refusing_port):
    client = ServiceClient(f"http://127.0.0.1:{refusing_port}")
    exchange = client.get("/x")
    assert exchange.status is None and not exchange.answered
    assert exchange.error is not None and exchange.error.startswith(
        "connection failed: [Errno 111]"
    )
    # Sent, but never answered: the service's request log cannot show it.
    assert (client.sent, client.answered) == ({"GET /x": 1}, {})


def test_silent_server_is_a_read_timeout(silent_port):
    exchange = ServiceClient(f"http://127.0.0.1:{silent_port}", timeout=0.2).get("/x")
    assert exchange.error == "no answer within 0.2 s (read timeout)"


def test_authorization_header_is_sent_but_never_shown(serve, headers_seen):
    url = serve(lambda method, path: (200, {}, b"{}"))
    client = ServiceClient(url, authorization=Secret("Bearer s3cret-token"))
    exchange = client.get("/x")
    assert headers_seen[-1]["Authorization"] == "Bearer s3cret-token"
    assert "s3cret" not in repr(client) + exchange.evidence() + repr(exchange)


def test_wire_time_uses_the_trace_events_and_falls_back_to_the_whole_call():
    from cloudrun_acceptance.probe.reading import wire_time

    marks = {"send_request_headers.started": 10.001, "receive_response_body.complete": 10.301}
    assert round(wire_time(marks, 10.0, 10.302), 3) == 0.300
    assert wire_time({}, 10.0, 10.302) == 10.302 - 10.0


def trickle(conn):
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    while True:
        conn.sendall(b"10\r\nmetric_line 1.0\n\r\n")  # 16 bytes, one line every 0.1 s, no end
        time.sleep(0.1)


def test_a_body_that_never_ends_is_cut_at_the_deadline(raw_server):
    client = ServiceClient(raw_server(trickle), timeout=0.6)
    exchange = client.get("/metrics")
    assert exchange.status == 200 and exchange.error_kind == "deadline"
    assert exchange.error is not None and re.fullmatch(
        r"the body was still arriving after 0\.6 s: \d+ B received", exchange.error
    )
    assert not exchange.ok and client.answered == {}
    assert exchange.describe().startswith("GET http://127.0.0.1:")
    assert "-> 200 OK, then the body was still arriving after 0.6 s" in exchange.describe()


def test_headers_that_trickle_are_cut_at_the_deadline_too(raw_server):
    def slow_headers(conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        while True:
            conn.sendall(b"X-Slow: 1\r\n")
            time.sleep(0.1)

    exchange = ServiceClient(raw_server(slow_headers), timeout=0.5).get("/")
    assert exchange.status is None and exchange.error_kind == "deadline"
    assert exchange.error == "no complete answer within 0.5 s (the request's deadline)"


def test_a_body_over_the_cap_is_not_read_further(raw_server):
    def huge(conn):
        size = 8 * 2**20
        conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\n\r\n".encode())
        conn.sendall(b"x" * size)

    client = ServiceClient(raw_server(huge), max_body_bytes=2**20)
    exchange = client.get("/metrics")
    assert exchange.error_kind == "too_large"
    assert exchange.error is not None and re.fullmatch(
        r"the body is over the 1 MiB limit of http\.max_body_bytes \(reading stopped at "
        r"1(\.\d)? MiB, after \d\.\d\d s\)",
        exchange.error,
    )
    assert len(exchange.body) <= 2**20 and client.answered == {}


def test_an_http_url_loads_no_ca_bundle_and_an_https_one_verifies():
    from cloudrun_acceptance.probe.client import _verify

    plain = _verify("http://127.0.0.1:8080")
    assert not isinstance(plain, bool)
    assert plain.cert_store_stats()["x509_ca"] == 0  # it would refuse any certificate
    assert plain.verify_mode.name == "CERT_REQUIRED"
    assert _verify("https://svc-abc.a.run.app") is True
