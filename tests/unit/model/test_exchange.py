"""An Exchange describes the request, the answer and the body, bounded."""

from __future__ import annotations

from cloudrun_acceptance.model.exchange import Exchange


def test_exchange_describes_request_answer_and_body():
    exchange = Exchange(
        "POST",
        "https://svc/api/x",
        200,
        "OK",
        "application/json",
        body='{"a":  1}\n',
        elapsed=0.1234,
        request_body='{"a": 1, "b": 2}',
    )
    assert (
        exchange.describe()
        == 'POST https://svc/api/x {"a": 1, "b": 2} -> 200 OK in 0.123 s, application/json'
    )
    assert exchange.evidence().endswith("""body: '{"a": 1}'""")
    assert exchange.ok and exchange.json() == {"a": 1}


def test_excerpt_is_bounded_and_says_empty():
    assert Exchange("GET", "u", 200, body="x" * 1000).excerpt(10) == repr("x" * 10 + "...")
    assert Exchange("GET", "u", 200, body="  \n").excerpt() == "(empty)"
