"""The sandbox APIs' JSON server answers from its route, and a body that is not JSON with 400;
as gcloud's proxy, it routes each absolute-URI request by the authority it names."""

from __future__ import annotations

import httpx

from cloudrun_acceptance.sandbox.platform.jsonserver import JsonServer, Request, error_body


def test_routes_answer_json_and_bad_bodies_get_a_google_error():
    seen = []

    def route(request):
        seen.append(request)
        return 200, {"ok": True}

    server = JsonServer(route, "test-json-server")
    try:
        answer = httpx.post(f"{server.url}/v2/x?a=1", json={"b": 2})
        assert answer.json() == {"ok": True}
        assert seen == [Request("POST", "/v2/x", {"a": ["1"]}, {"b": 2}, server.authority)]
        httpx.put(f"{server.url}/v1/y", json={})
        httpx.delete(f"{server.url}/v1/y")
        assert [request.method for request in seen[1:]] == ["PUT", "DELETE"]
        bad = httpx.post(f"{server.url}/v2/x", content=b"{not json")
        assert (bad.status_code, bad.json()) == (
            400,
            error_body(400, "INVALID_ARGUMENT", "body is not JSON"),
        )
    finally:
        server.stop()


def test_as_a_proxy_it_answers_for_the_servers_it_knows_by_their_authority():
    own = JsonServer(lambda request: (200, {"by": "own", "host": request.host}), "test-own")
    other = JsonServer(lambda request: (200, {"by": "other", "path": request.path}), "test-other")
    own.also_answer_for(other)
    try:
        with httpx.Client(proxy=own.url) as client:
            # gcloud's regional host for the Admin API: no resolver knows it, the proxy does.
            regional = client.get(f"http://europe-west1-{own.authority}/apis/x").json()
            assert regional == {"by": "own", "host": f"europe-west1-{own.authority}"}
            assert client.post(f"{other.url}/v2/entries:list").json() == {
                "by": "other",
                "path": "/v2/entries:list",
            }
    finally:
        own.stop()
        other.stop()
