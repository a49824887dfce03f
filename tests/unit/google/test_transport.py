"""The Logging client's transport applies the gate's timeout and counts the pages read."""

from __future__ import annotations

import pytest
import requests

from cloudrun_acceptance.google._transport import PageCounter


def test_requests_are_counted(serve):
    url = serve(lambda method, path: (200, {"Content-Type": "application/json"}, b"{}"))
    session = requests.Session()
    pages = PageCounter(timeout=5)
    session.mount("http://", pages)
    assert session.get(url).status_code == 200
    session.get(url)
    assert pages.count == 2


def test_the_gates_timeout_replaces_the_libraries(silent_port):
    session = requests.Session()
    session.mount("http://", PageCounter(timeout=0.2))
    with pytest.raises(requests.exceptions.ReadTimeout):
        session.get(f"http://127.0.0.1:{silent_port}/", timeout=60)
