"""An ASGI app that forwards each request to the team's own service, streaming the answer back.

It sits where the reference service would, behind the sandbox's Cloud Run front end (the IAM
door, the request log). While the service cannot answer (it exited, or never listened), it
answers 503 with the reason and the service's last output, as evidence for the health check.
"""

from __future__ import annotations

import httpx

from ..platform.asgi import Receive, Scope, Send, answer
from .process import OwnService

# Hop-by-hop headers, which a proxy does not pass on (RFC 9110, section 7.6.1).
HOP_BY_HOP = {
    b"connection",
    b"keep-alive",
    b"proxy-connection",
    b"te",
    b"trailer",
    b"transfer-encoding",
    b"upgrade",
}


class Proxy:
    """Forwards to ``service`` on its port; one connection pool, made in the server's loop."""

    def __init__(self, service: OwnService) -> None:
        self.service = service
        self._client: httpx.AsyncClient | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return
        problem = self.service.problem()
        if problem is not None:
            await answer(send, 503, problem.encode())
            return
        if self._client is None:
            # No timeout of its own: the gate's deadlines bound every exchange, and a slow
            # answer is the service's, to be seen as it is.
            self._client = httpx.AsyncClient(timeout=None, follow_redirects=False)
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        query = scope.get("query_string", b"").decode("latin-1")
        url = f"http://127.0.0.1:{self.service.port}{scope['raw_path'].decode('latin-1')}"
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in HOP_BY_HOP | {b"host"}]
        request = self._client.build_request(
            scope["method"], url + (f"?{query}" if query else ""), headers=headers, content=body
        )
        try:
            response = await self._client.send(request, stream=True)
        except httpx.HTTPError as err:
            await answer(send, 502, f"the sandbox could not reach your service: {err}".encode())
            return
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": response.status_code,
                    "headers": [
                        (k, v) for k, v in response.headers.raw if k.lower() not in HOP_BY_HOP
                    ],
                }
            )
            async for chunk in response.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        finally:
            await response.aclose()
