"""The reference service's users' read: ``GET /api/concepts?q=...``, the concepts it recalls for
a query.

The gate never calls it; the sandbox's users (``users``) do, through the service URL, so that a
rollout in steps has real user requests to compare in the request log. A revision's faults on
this path (``Behaviour.user_slowdown``; ``user_error_rate`` once its share of the traffic is
``user_errors_from_share``; ``late_user_slowdown`` once it has served its share long enough)
leave every path the gate checks as it was.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response

from ..behaviour import Behaviour
from ..platform.traffic import Serving
from .servicetimes import concepts_seconds, late_factor

# What the reference service has learnt from its sessions (service.SESSIONS), as a user finds it.
CONCEPTS = (
    "ant colonies",
    "conway's game of life",
    "distributed consensus",
    "emergence",
    "gliders",
    "local rules",
    "markets",
    "self-organisation",
    "swarm intelligence",
)
INTERNAL_ERROR = {"detail": "Internal Server Error"}


def recall(query: str) -> list[str]:
    """The concepts whose name holds ``query`` (ignoring case); every one for an empty query."""
    wanted = query.strip().lower()
    return [concept for concept in CONCEPTS if wanted in concept]


class UserErrors:
    """Which of a revision's answers on the users' path are 500: evenly, every (1 / ``rate``)th
    of those it gives while it serves ``from_share`` percent of the service URL's traffic or
    more (so that the count is deterministic); none below that share."""

    def __init__(self, rate: float, from_share: int) -> None:
        self.every = round(1 / rate) if rate else 0
        self.from_share = from_share
        self.answers = itertools.count(1)

    def __call__(self, share: int) -> bool:
        """Whether this answer, given while the revision serves ``share`` percent, is a 500."""
        if not self.every or share < self.from_share:
            return False
        return next(self.answers) % self.every == 0


def add_concepts(app: FastAPI, revision: str, behaviour: Behaviour, serving: Serving) -> None:
    """The users' read on ``app``, as ``revision`` (which behaves as ``behaviour``, and serves
    the share of the service URL's traffic that ``serving`` tells) answers it."""
    seconds = concepts_seconds(behaviour)
    fails = UserErrors(behaviour.user_error_rate, behaviour.user_errors_from_share)
    late = behaviour.late_user_slowdown != 1.0

    @app.get("/api/concepts", response_model=None)
    async def concepts(q: str = "") -> Response | dict[str, Any]:
        wait = seconds
        if late:  # only then: the other profiles' reads ask the table nothing more
            wait *= late_factor(behaviour, serving.share(), serving.held_seconds())
        if wait:
            await asyncio.sleep(wait)
        if fails(serving.share()):
            return JSONResponse(INTERNAL_ERROR, status_code=500)
        return {"query": q, "concepts": recall(q), "revision": revision}
