"""The HTTP transport of the Logging client (requests is imported only when logs are read)."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping

from requests import PreparedRequest, Response
from requests.adapters import HTTPAdapter
from requests.exceptions import Timeout

from .quota import ReadPacer


class PageCounter(HTTPAdapter):
    """The client's transport: applies the gate's timeout to a whole listing, however many
    pages it has (the library's default is 60 s a request), and counts the pages; with a
    ``pacer``, each page waits its turn in the project's read quota first (a wait that does not
    count against the timeout)."""

    def __init__(self, timeout: float, pacer: ReadPacer | None = None) -> None:
        super().__init__()
        self.timeout = timeout
        self.pacer = pacer
        self.count = 0
        self.waited = 0.0
        self.deadline = math.inf

    def start_listing(self) -> None:
        """One listing (all its pages) gets the gate's timeout, not each page."""
        self.deadline = time.monotonic() + self.timeout

    def send(  # noqa: PLR0917 - the signature of HTTPAdapter.send
        self,
        request: PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> Response:
        if self.pacer is not None:
            waited = self.pacer.take()
            self.deadline += waited
            self.waited += waited
        self.count += 1
        remaining = min(self.timeout, self.deadline - time.monotonic())
        if remaining <= 0:
            raise Timeout(f"the listing took longer than {self.timeout:g} s", request=request)
        return super().send(request, stream, remaining, verify, cert, proxies)
