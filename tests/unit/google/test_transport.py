"""The Logging client's transport applies the gate's timeout and counts the pages read."""

from __future__ import annotations

import time

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


def test_a_listing_of_many_pages_shares_one_timeout(serve):
    def slow(method, path):
        time.sleep(0.15)
        return 200, {}, b"{}"

    url = serve(slow)
    session = requests.Session()
    pages = PageCounter(timeout=0.4)
    session.mount("http://", pages)
    pages.start_listing()

    def five_pages() -> None:  # 0.75 s of pages in all
        for _ in range(5):
            session.get(url)

    with pytest.raises(requests.exceptions.Timeout):
        five_pages()
    assert pages.count <= 4
