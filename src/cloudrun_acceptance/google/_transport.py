"""The HTTP transport of the Logging client (requests is imported only when logs are read)."""

from __future__ import annotations

from collections.abc import Mapping

from requests import PreparedRequest, Response
from requests.adapters import HTTPAdapter


class PageCounter(HTTPAdapter):
    """The client's transport: applies the gate's timeout (the library's default is 60 s a
    request) and counts the requests, one per page of entries."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout
        self.count = 0

    def send(  # noqa: PLR0917 - the signature of HTTPAdapter.send
        self,
        request: PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> Response:
        self.count += 1
        return super().send(request, stream, self.timeout, verify, cert, proxies)
