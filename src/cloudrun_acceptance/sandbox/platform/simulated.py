"""Users simulated at any rate: the request log entries and the request counts that
``Behaviour.simulated_rps`` users would have left, written on demand instead of sent.

Real users (``users``) send real requests through the front end, which is right up to a few
hundred a second on one machine. A production service's step sees thousands a second: what the
gate must then do is read a sample of the logs and count from Cloud Monitoring, and that is
tested here without sending them. The simulated users' requests are a pure function of the time,
the traffic's splits (``Traffic.splits``) and a seed, so the local Logging API makes the entries
of exactly the stretch a filter asks for (``logging.filter.Scope``: its timestamps and its sample),
and the local Monitoring API counts the same requests, at any past moment, as often as asked.

Each second of traffic is drawn from a generator seeded by (seed, second): a Poisson number of
requests at ``simulated_rps``, spread uniformly over the second, each routed by the split of its
moment (the first split's from HISTORY_SECONDS before the sandbox started: a service's users
came before its deploy), with a lognormal latency (median SIMULATED_MEDIAN_SECONDS, sigma
SIMULATED_SIGMA: the heavy right tail of a real service) and an error draw. What a revision
does is its behaviour's (``Deployment.runtime_of``): its users' slowdown and 5xx, the late
regression and the cold start of a step (as servicetimes' ``late_factor`` and
``cold_start_wait`` decide them, timed from the split that set its share). Only whole seconds
that have passed exist: a second is drawn once its traffic is settled, so a later split never
rewrites it; an entry shows once its request has ended.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..behaviour import Behaviour
from ..logging.filter import Scope
from ..logging.terms import sampled
from ..reference.servicetimes import cold_start_wait
from .deployment import rfc3339

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from .deployment import Deployment
    from .traffic import Split

SIMULATED_AGENT = "sandbox-users/1.0 (simulated)"
SIMULATED_PATH = "/api/concepts?q=simulated"
SIMULATED_MEDIAN_SECONDS = 0.050
SIMULATED_SIGMA = 0.6
# Seconds of drawn traffic kept for the next read (at 10,000 requests/s, about 40 MB).
KEPT_SECONDS = 128
# The users were there before the sandbox started, as a service's are before a deploy: the
# first split has served them for this long.
HISTORY_SECONDS = 600.0


@dataclass(frozen=True)
class Second:
    """One second of the simulated users' requests, in time order: when each came (seconds
    since the epoch), the revision that answered (an index into the names), its latency and
    status."""

    at: NDArray[np.float64]
    revision: NDArray[np.int64]
    latency: NDArray[np.float64]
    status: NDArray[np.int64]


@dataclass(frozen=True)
class _Phase:
    """One split, as the simulated users see it: from ``at``, each revision's share, and when
    (wall clock) its share last changed and last rose."""

    at: float
    shares: tuple[int, ...]
    changed: tuple[float, ...]
    rose: tuple[float, ...]


@dataclass
class SimulatedUsers:
    """The users of ``deployment``'s service URL at ``rate`` requests a second, routed by the
    splits ``splits()`` returns; ``now`` is the wall clock (seconds since the epoch)."""

    deployment: Deployment
    rate: float
    splits: Callable[[], Sequence[Split]]
    seed: int = 0
    now: Callable[[], float] = time.time
    _names: list[str] = field(default_factory=list)
    _behaviours: list[Behaviour] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._second = lru_cache(maxsize=KEPT_SECONDS)(self._draw)

    def requests(self, scope: Scope, visible_before: float) -> Iterator[dict[str, Any]]:
        """The request log entries of the requests in ``scope`` (their times and sample) that
        had ended before ``visible_before`` (seconds since the epoch), oldest first."""
        first, last = self._seconds(scope, visible_before)
        low = scope.start.timestamp() if scope.start else -math.inf
        high = scope.end.timestamp() if scope.end else math.inf
        for second in range(first, last):
            drawn = self._second(second)
            ended = drawn.at + drawn.latency
            inside = (drawn.at >= low) & (drawn.at <= high) & (ended <= visible_before)
            for index in inside.nonzero()[0].tolist():
                at = float(drawn.at[index])
                latency = float(drawn.latency[index])
                insert_id = f"sim{second:010d}{index:06d}"
                if scope.fraction < 1 and not sampled(insert_id, scope.fraction):
                    continue
                yield self._entry(
                    insert_id,
                    at,
                    self._names[int(drawn.revision[index])],
                    int(drawn.status[index]),
                    latency,
                )

    def latencies(
        self, start: float, end: float
    ) -> dict[tuple[str, int, int], NDArray[np.float64]]:
        """The requests that came from ``start`` to ``end`` (seconds since the epoch, whole
        seconds that have passed): (revision, status, second) -> their latencies in ms."""
        found: dict[tuple[str, int, int], NDArray[np.float64]] = {}
        first = math.floor(start)
        last = min(math.ceil(end), math.floor(self.now()))
        for second in range(first, last):
            drawn = self._second(second)
            for revision, status in set(
                zip(drawn.revision.tolist(), drawn.status.tolist(), strict=True)
            ):
                mine = (drawn.revision == revision) & (drawn.status == status)
                found[self._names[revision], int(status), second] = drawn.latency[mine] * 1000.0
        return found

    def _seconds(self, scope: Scope, visible_before: float) -> tuple[int, int]:
        """The whole seconds a scope reaches, from the first split to the last second passed."""
        phases = self._phases()
        first = math.floor(phases[0].at) if phases else 0
        if scope.start is not None:
            first = max(first, math.floor(scope.start.timestamp()))
        last = math.floor(min(self.now(), visible_before))
        if scope.end is not None:
            last = min(last, math.floor(scope.end.timestamp()) + 1)
        return first, last

    def _phases(self) -> list[_Phase]:
        """The splits, each with when every revision's share last changed and rose."""
        splits: Sequence[Split] = self.splits()
        for split in splits:
            for name in split.shares:
                if name not in self._names:
                    self._names.append(name)
                    self._behaviours.append(self.deployment.runtime_of(name).behaviour)
        phases: list[_Phase] = []
        before = [0] * len(self._names)
        changed = [-math.inf] * len(self._names)
        rose = [-math.inf] * len(self._names)
        for number, split in enumerate(splits):
            shares = [split.shares.get(name, 0) for name in self._names]
            at = split.at - HISTORY_SECONDS if number == 0 else split.at
            for index, (old, new) in enumerate(zip(before, shares, strict=True)):
                if new != old or number == 0:
                    changed[index] = at
                if new > old and number > 0:
                    rose[index] = at
            phases.append(_Phase(at, tuple(shares), tuple(changed), tuple(rose)))
            before = shares
        return phases

    def _draw(self, second: int) -> Second:
        """The requests of one second that has passed (cached: the same second, the same
        requests)."""
        import numpy as np

        phases = self._phases()
        draw = np.random.default_rng([self.seed, second])
        count = int(draw.poisson(self.rate))
        at = second + np.sort(draw.random(count))
        route = draw.random(count)
        latency = SIMULATED_MEDIAN_SECONDS * np.exp(SIMULATED_SIGMA * draw.standard_normal(count))
        fails = draw.random(count)
        revision = np.full(count, -1, dtype=np.int64)
        status = np.full(count, 200, dtype=np.int64)
        starts = np.array([phase.at for phase in phases])
        which = np.searchsorted(starts, at, side="right") - 1
        for number in np.unique(which[which >= 0]).tolist():
            phase = phases[number]
            mine = which == number
            total = sum(phase.shares)
            if total == 0:
                continue
            bounds = np.cumsum(phase.shares) / total
            chosen = np.minimum(np.searchsorted(bounds, route[mine], side="right"), len(bounds) - 1)
            revision[mine] = chosen
            for index in np.unique(chosen).tolist():
                served = np.flatnonzero(mine)[chosen == index]
                late, wait = self._timing(index, phase, at[served])
                behaviour = self._behaviours[index]
                factor = np.where(late, behaviour.late_user_slowdown, 1.0)
                latency[served] = latency[served] * behaviour.user_slowdown * factor + wait
                share = phase.shares[index]
                steady = behaviour.user_error_rate * (share >= behaviour.user_errors_from_share)
                rate = steady + np.where(late, behaviour.late_user_error_rate, 0.0)
                status[served] = np.where(fails[served] < rate, 500, 200)
        kept = revision >= 0
        return Second(at[kept], revision[kept], latency[kept], status[kept])

    def _timing(
        self, index: int, phase: _Phase, at: NDArray[np.float64]
    ) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
        """For revision ``index``'s requests at ``at`` in ``phase``: whether each is late in its
        step (as servicetimes' ``late_factor`` decides, which also raises its 5xx here), and how
        long it waits for a cold start (``cold_start_wait``)."""
        import numpy as np

        behaviour = self._behaviours[index]
        held = at - phase.changed[index]
        late = (held > behaviour.late_regression_after_seconds) & (phase.shares[index] > 0)
        since = at - phase.rose[index]
        longest = cold_start_wait(behaviour, 0.0)
        wait = np.where((since >= 0) & (since < longest), longest - since, 0.0)
        return late, wait

    def _entry(
        self, insert_id: str, at: float, revision: str, status: int, latency: float
    ) -> dict[str, Any]:
        """A request log entry, as the log store writes one (``LogStore.request``)."""
        d = self.deployment
        stamp = rfc3339(datetime.fromtimestamp(at, UTC))
        return {
            "logName": f"projects/{d.project}/logs/run.googleapis.com%2Frequests",
            "resource": {
                "type": "cloud_run_revision",
                "labels": {
                    "project_id": d.project,
                    "location": d.region,
                    "service_name": d.service,
                    "revision_name": revision,
                    "configuration_name": d.service,
                },
            },
            "timestamp": stamp,
            "receiveTimestamp": stamp,
            "insertId": insert_id,
            "severity": "ERROR" if status >= 500 else "INFO",
            "httpRequest": {
                "requestMethod": "GET",
                "requestUrl": d.service_url + SIMULATED_PATH,
                "status": status,
                "latency": f"{latency:.6f}s",
                "userAgent": SIMULATED_AGENT,
                "remoteIp": "127.0.0.1",
                "protocol": "HTTP/1.1",
            },
        }
