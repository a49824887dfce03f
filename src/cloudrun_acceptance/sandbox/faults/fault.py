"""What a fault profile is: a name, a sentence for the fault profiles reference page
(reference/faults.md, which docsgen renders at build time) and the header, and the change it
makes to the sandbox's ``Behaviour``. The profiles themselves are in ``profiles`` (and, for a
rollout in steps, ``rollout``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from ..behaviour import Behaviour

Scope = Literal["platform", "reference"]


@dataclass(frozen=True)
class Fault:
    """A named broken deployment: ``apply`` returns the behaviour with the breakage.

    ``scope``: ``platform`` breaks what Cloud Run does around any service (the front door,
    traffic, the Admin and Logging APIs), so it applies to the team's own service too;
    ``reference`` breaks the reference service itself, so it needs the example's.
    """

    name: str
    summary: str
    apply: Callable[[Behaviour], Behaviour]
    scope: Scope = "reference"
