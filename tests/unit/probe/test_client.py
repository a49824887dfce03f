"""The HTTP client returns evidence, never raises, and never follows a redirect."""

from __future__ import annotations

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
    assert 0.15 < exchange.elapsed < 1


def test_authorization_header_is_sent_but_never_shown(serve, headers_seen):
    url = serve(lambda method, path: (200, {}, b"{}"))
    client = ServiceClient(url, authorization=Secret("Bearer s3cret-token"))
    exchange = client.get("/x")
    assert headers_seen[-1]["Authorization"] == "Bearer s3cret-token"
    assert "s3cret" not in repr(client) + exchange.evidence() + repr(exchange)


def test_wire_time_uses_the_trace_events_and_falls_back_to_the_whole_call():
    from cloudrun_acceptance.probe.client import wire_time

    marks = {"send_request_headers.started": 10.001, "receive_response_body.complete": 10.301}
    assert round(wire_time(marks, 10.0, 10.302), 3) == 0.300
    assert wire_time({}, 10.0, 10.302) == 10.302 - 10.0
