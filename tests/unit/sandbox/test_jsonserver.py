"""The sandbox APIs' JSON server answers from its route, and a body that is not JSON with 400."""

from __future__ import annotations

import httpx

from cloudrun_acceptance.sandbox.jsonserver import JsonServer, error_body


def test_routes_answer_json_and_bad_bodies_get_a_google_error():
    seen = []

    def route(method, path, query, body):
        seen.append((method, path, dict(query), body))
        return 200, {"ok": True}

    server = JsonServer(route, "test-json-server")
    try:
        answer = httpx.post(f"{server.url}/v2/x?a=1", json={"b": 2})
        assert answer.json() == {"ok": True}
        assert seen == [("POST", "/v2/x", {"a": ["1"]}, {"b": 2})]
        bad = httpx.post(f"{server.url}/v2/x", content=b"{not json")
        assert (bad.status_code, bad.json()) == (
            400,
            error_body(400, "INVALID_ARGUMENT", "body is not JSON"),
        )
    finally:
        server.stop()
