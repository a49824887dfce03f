"""The service stage: the health wait, the first scrape, the forced analysis and the cached
calls, in that order, on the session's one client.

Each step runs when its fixture first asks for it, or, in a run that will surely ask (the
analysis checks collected and selected, a test session given), all of them in one thread
(plugin/early.py says when): the forced analysis is then sent while pytest still collects and
runs the health and metrics checks, and its wait (spent on a socket) covers the Admin API's and
Logging's reads. In a run whose command line cannot deselect a check, the thread starts before
collection (``arm``): the health wait and the first scrape overlap it, and the thread waits for
the decision (``start``, as the analysis module is collected, or ``stand_down``).
The service sees the same requests in the same order either way. The thread stops where a
fixture would fail (no answer, no exposition, a failed analysis), and the fixture then computes
nothing new: it fails as it would have.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, field
from threading import Event, Thread
from typing import Any, cast

from ..model.contract import Contract
from ..model.exchange import Exchange, Readiness
from ..model.exposition import Snapshot
from ..model.observations import CounterRun, Scrape
from ..probe.client import ServiceClient
from ..probe.counters import observe_counters
from ..probe.readiness import wait_until_ready
from ..probe.scrape import scrape

STEPS = ("readiness", "scrape", "analysis", "cache")


@dataclass
class ServiceStage:
    """The session's client and the four steps' results, each computed once."""

    client: ServiceClient
    contract: Contract
    ready_timeout: float
    test_session: str | None
    _done: dict[str, Any] = field(default_factory=dict, repr=False)
    _early: dict[str, Future[Any]] | None = field(default=None, repr=False)
    _thread: Thread | None = field(default=None, repr=False)
    # An armed thread's decision: set by ``start`` (``_cache`` says how far) or ``stand_down``.
    _decided: Event | None = field(default=None, repr=False)
    _go: bool = field(default=False, repr=False)
    _cache: bool = field(default=False, repr=False)

    def can_run_early(self, *, cache: bool) -> bool:
        """Every step has what it needs: a session, and the metrics and analysis sections (and
        the cache section, when the cache check runs too)."""
        rules = self.contract
        return (
            self.test_session is not None
            and rules.metrics is not None
            and rules.analysis is not None
            and (not cache or rules.cache is not None)
        )

    def arm(self) -> None:
        """Start the steps that send nothing the checks could decline (the health wait, the
        first scrape) in a thread of their own, now (once); the thread then waits for ``start``
        or ``stand_down`` before the analysis."""
        if self._early is None:
            self._decided = Event()
            self._launch()

    def start(self, *, cache: bool) -> None:
        """Run the steps in a thread of their own, now (once), or let an armed thread go on;
        ``cache``: the cached calls too."""
        armed = self._decided is not None and not self._decided.is_set()
        if self._early is not None and not armed:
            return  # running already, or decided
        self._go, self._cache = True, cache
        if self._decided is not None and armed:
            self._decided.set()
        else:
            self._launch()

    def stand_down(self) -> None:
        """An armed thread ends before the analysis: the fixtures that ask compute the rest."""
        if self._decided is not None:
            self._decided.set()

    def _launch(self) -> None:
        self._early = {name: Future() for name in STEPS}
        self._thread = Thread(target=self._run_early, name="cloudrun-service", daemon=True)
        self._thread.start()

    def _wanted(self, name: str) -> bool:
        """Whether the thread computes ``name``: the analysis and cache once decided so."""
        if name == "scrape":
            return self.contract.metrics is not None
        if name in ("analysis", "cache") and self._decided is not None:
            self._decided.wait()
        return name == "readiness" or (self._go and (name != "cache" or self._cache))

    def _run_early(self) -> None:
        assert self._early is not None
        pending = dict(self._early)
        last: Snapshot | None = None
        try:
            for name in STEPS:
                if not self._wanted(name):
                    break
                # The thread's last scrape (the first one; the analysis's last poll), with
                # nothing sent since: the next step's first baseline.
                value = self._compute(name, last)
                last = _last_snapshot(value)
                pending.pop(name).set_result(value)
                if not _goes_on(name, value):
                    break
        except BaseException as err:  # a bug: the fixture that asks raises it
            for future in pending.values():
                future.set_exception(err)
            return
        for future in pending.values():
            future.set_result(None)  # not reached: the fixture that asks computes it

    def join(self) -> None:
        """Wait until the early thread is done with the client (at once without one); an armed
        thread still undecided stands down."""
        self.stand_down()
        if self._thread is not None:
            self._thread.join()

    def in_flight(self, name: str) -> bool:
        """Whether the early thread is computing step ``name`` (or will), not done with it."""
        early = self._early
        return early is not None and name not in self._done and not early[name].done()

    def readiness(self) -> Readiness:
        """The wait for the first answer of the health path."""
        return cast(Readiness, self._step("readiness"))

    def scrape(self) -> Scrape:
        """The first scrape of the metrics path, before the gate acts."""
        return cast(Scrape, self._step("scrape"))

    def analysis(self) -> CounterRun:
        """One forced analysis, with the contract's counters read around it on one instance."""
        return cast(CounterRun, self._step("analysis"))

    def cache(self) -> CounterRun:
        """The repeated call, sampled on the warm connection, with the cache counters around."""
        return cast(CounterRun, self._step("cache"))

    def _step(self, name: str) -> Readiness | Scrape | CounterRun:
        if name in ("analysis", "cache"):
            self.stand_down()  # asked before any decision (none will come): never a hang
        if name not in self._done:
            early = self._early[name].result() if self._early is not None else None
            self._done[name] = early if early is not None else self._compute(name)
        return self._done[name]  # type: ignore[no-any-return]

    def _compute(self, name: str, first: Snapshot | None = None) -> Readiness | Scrape | CounterRun:
        rules, client = self.contract, self.client
        if name == "readiness":
            return wait_until_ready(client, rules.health_path, self.ready_timeout)
        assert rules.metrics is not None
        if name == "scrape":
            return scrape(client, rules.metrics)
        analysis = rules.analysis
        assert analysis is not None
        assert self.test_session is not None
        if name == "analysis":
            call, times, counters = analysis.request, 1, analysis.counters
        else:
            assert rules.cache is not None
            call, times, counters = rules.cache.request, rules.cache.samples, rules.cache.counters
        filled = call.filled(self.test_session)

        def act() -> list[Exchange]:
            return [client.send(filled, timeout=analysis.timeout_seconds) for _ in range(times)]

        return observe_counters(
            client,
            metrics=rules.metrics,
            rules=counters,
            act=act,
            deadline=analysis.counter_deadline_seconds,
            first=first,
        )


def _last_snapshot(value: object) -> Snapshot | None:
    """The exposition a step read last: the first scrape's, or the one where counters moved."""
    if isinstance(value, Scrape):
        return value.snapshot
    return value.last if isinstance(value, CounterRun) else None


def _goes_on(name: str, value: object) -> bool:
    """Whether the step after ``name`` would run: its fixture would not fail on ``value``."""
    if isinstance(value, Readiness | Scrape):
        return value.usable
    if isinstance(value, CounterRun) and name == "analysis":
        return value.acted
    return True
