"""The service stage: the health wait, the first scrape, the forced analysis and the cached
calls, in that order, on the session's one client.

Each step runs when its fixture first asks for it, or in one thread started once (``start``,
when plugin/early.py's plan says), through the last step the run's checks will surely ask for:
the health wait and the first scrape (they send nothing a check could decline), then the
forced analysis and the cached calls when their checks will run and a test session is given.
The analysis is then sent while pytest still collects and runs the health and metrics checks,
and its wait (spent on a socket) covers the Admin API's and Logging's reads.

The stage is in one of three states: not started (each step runs when asked), running through
a step (its fixtures wait for the thread's result), finished. The service sees the same
requests in the same order either way. The thread stops where a fixture would fail (no answer,
no exposition, a failed analysis), and the fixture then computes nothing new: it fails as it
would have.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, field
from threading import Thread
from typing import Any, cast

from ..model.contract import Contract
from ..model.exchange import Exchange, Readiness
from ..model.exposition import Snapshot
from ..model.observations import CounterRun, Scrape
from ..probe.client import ServiceClient
from ..probe.counters import observe_counters
from ..probe.readiness import Gone, wait_until_ready
from ..probe.scrape import scrape

STEPS = ("readiness", "scrape", "analysis", "cache")


@dataclass
class ServiceStage:
    """The session's client and the four steps' results, each computed once."""

    client: ServiceClient
    contract: Contract
    ready_timeout: float
    test_session: str | None
    # Why the service will never answer, asked during the health wait (the sandbox's own
    # service process exited): the wait then ends at once.
    gone: Gone | None = None
    _done: dict[str, Any] = field(default_factory=dict, repr=False)
    # Started: a future per step, and the steps the thread runs (STEPS up to ``_through``).
    _early: dict[str, Future[Any]] | None = field(default=None, repr=False)
    _through: tuple[str, ...] = field(default=(), repr=False)
    _thread: Thread | None = field(default=None, repr=False)

    def furthest(self, *, analysis: bool, cache: bool) -> str:
        """The last step a thread may run when the checks will ask for the forced analysis
        (``analysis``) and the cached calls (``cache``): those need a test session and their
        contract's sections; the health wait and the first scrape need nothing."""
        rules = self.contract
        if rules.metrics is None:
            return "readiness"
        if not analysis or self.test_session is None or rules.analysis is None:
            return "scrape"
        return "cache" if cache and rules.cache is not None else "analysis"

    def start(self, through: str) -> None:
        """Run the steps up to ``through`` in a thread of their own, now; once (the first call
        decides, a later one changes nothing)."""
        if self._early is not None:
            return
        self._through = STEPS[: STEPS.index(through) + 1]
        self._early = {name: Future() for name in STEPS}
        self._thread = Thread(target=self._run_early, name="cloudrun-service", daemon=True)
        self._thread.start()

    def _run_early(self) -> None:
        assert self._early is not None
        pending = dict(self._early)
        last: Snapshot | None = None
        try:
            for name in self._through:
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
        """Wait until the early thread is done with the client (at once without one)."""
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
        if name not in self._done:
            early = self._early[name].result() if self._early is not None else None
            self._done[name] = early if early is not None else self._compute(name)
        return self._done[name]  # type: ignore[no-any-return]

    def _compute(self, name: str, first: Snapshot | None = None) -> Readiness | Scrape | CounterRun:
        rules, client = self.contract, self.client
        if name == "readiness":
            return wait_until_ready(client, rules.health_path, self.ready_timeout, gone=self.gone)
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
