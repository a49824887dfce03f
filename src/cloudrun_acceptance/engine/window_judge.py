"""A split's window of users' requests, looked at as it grows and judged: the candidate's
against the stable revision's, from Cloud Run's request logs (checks/rollout_step.py judges).

Every ``rollout.look_seconds`` the window's new requests are read (each look reads what came
since the last, and the last ``rollout.ingestion_seconds`` before it again, as Cloud Logging
shows entries seconds late, leaving out what it read before; a uniform sample of them when more
came than ``rollout.max_requests``, google/requestlog.py) and the whole window so far is
judged: a regression ends the step at once, and evidence that the candidate is within the
tolerances ends it once its minimum bake is over; undecided at the bake's end, it is held (the
looks go on) or ends inconclusive. Every look is counted by the judge's tests, so the looks
cost nothing of the error budget.

Used by the rollout's steps (engine/rollout_steps.py), which set the split themselves, and by the
check of a canary phase whose split another engine set (``--canary-phase``, Cloud Deploy).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Container
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from ..checks.budget import rollout_budget
from ..checks.rollout_step import judge_step
from ..checks.stepwindow import with_metrics
from ..google.logs import LogReader
from ..google.quota import ReadPacer
from ..google.requestlog import RESAMPLES, Slice, read_slice, sample_fraction, seen_rate
from ..model.errors import LoggingApiError
from ..model.judge import ErrorBudget
from ..model.polling import Backoff, poll
from ..model.rollout import RevisionTraffic, RolloutRules, StepWindow
from ..model.service import ServiceFacts
from ..model.verdict import Verdict, failed

# Cloud Logging's answer to a project over its read quota: the read waits and is tried again.
QUOTA_STATUS = 429
QUOTA_BACKOFF = Backoff(first=2.0, cap=15.0)


@dataclass
class WindowJudge:
    """Bakes a split and judges its window: ``facts``' revision (the candidate) against
    ``stable``, at ``budget`` (the rollout's share for one step by default)."""

    facts: ServiceFacts
    stable: str
    rules: RolloutRules
    logging_endpoint: str | None
    logs_timeout: float
    budget: ErrorBudget | None = None
    monitoring_endpoint: str | None = None
    # The project's read quota, shared by the run's judges of its targets (none: no pacing).
    pacer: ReadPacer | None = None
    _reader: LogReader | None = field(default=None, repr=False)
    # The users' rate the last read saw (entries a second, both revisions): the next read's
    # sample is planned from it.
    _rate: float | None = field(default=None, repr=False)
    # The entries the judgement's last read took (key -> time from the window's start): the
    # next read, which reads the end of its stretch again, leaves them out.
    _seen: dict[str, float] = field(default_factory=dict, repr=False)

    @property
    def candidate(self) -> str:
        """The revision judged."""
        return self.facts.revision.name

    def judge(self, share: int) -> tuple[StepWindow | None, Verdict]:
        """Bake the split as it is now (the candidate at ``share``), looking at its window every
        ``look_seconds``, until a look decides; undecided at the bake's end, it is baked again,
        up to ``max_holds`` times, with ``on_too_few: hold``."""
        rules = self.rules
        budget = self.budget or rollout_budget(rules, rules.steps)
        started = time.monotonic()
        start = self.now()
        # The first read is planned from the rate the last read saw (the last step's, or the
        # traffic before the rollout): both revisions' together, the service's, whatever the
        # split.
        self._seen = {}
        window = StepWindow(
            share, start, start, RevisionTraffic(self.candidate), RevisionTraffic(self.stable)
        )
        holds = looks = 0
        bake_end = started + rules.bake_seconds
        while True:
            try:
                self.prepare()  # done already in a rollout; a canary phase's first seconds
                due = min(started + (looks + 1) * rules.look_seconds, bake_end)
                time.sleep(max(0.0, due - time.monotonic()))
                looks += 1
                window = self._grown(window, share, start, looks, holds)
            except LoggingApiError as err:
                # Over the project's read quota all through the look's deadline: the look is
                # lost, not the step (the next look reads what this one would have).
                if err.status != QUOTA_STATUS:
                    return None, failed(
                        f"the {share}% split could not be judged: {err.summary}",
                        advice=err.advice,
                    )
                window = replace(window, quota_refusals=window.quota_refusals + 1)
                if time.monotonic() < bake_end - 0.01:
                    continue
            last = time.monotonic() >= bake_end - 0.01
            verdict = judge_step(window, rules, budget, last=last)
            if verdict is None:
                continue
            hold = rules.on_too_few == "hold" and holds < rules.max_holds
            if verdict.status == "inconclusive" and hold:
                holds += 1
                bake_end += rules.bake_seconds
                continue
            counted = self.counted(window)
            return counted, with_metrics(verdict, counted)

    def counted(self, window: StepWindow) -> StepWindow:
        """The window with Cloud Run's own request counts of it, and its latencies' histograms,
        from Cloud Monitoring (every request, at any rate; whole minutes, the newest late), or
        why there are none: the step's verdict stands on the request logs either way."""
        from ..google.monitoring import MetricsReader
        from ..model.errors import MonitoringApiError

        reader = MetricsReader(self.facts.ref, endpoint=self.monitoring_endpoint)
        revisions = (self.candidate, self.stable)
        try:
            counts = reader.request_counts(revisions, window.start, window.end)
        except MonitoringApiError as err:
            return replace(window, metrics_problem=f"{err.summary}; {err.advice}")
        # The counts stand without the latencies (whose figures then say "not read").
        with contextlib.suppress(MonitoringApiError):
            counts = reader.with_latencies(counts, revisions)
        return replace(window, metrics=counts)

    def now(self) -> datetime:
        """The time a window starts and a look reads up to."""
        return datetime.now(UTC)

    def prepare(self) -> None:
        """Load what the judge needs (the Logging client, scipy) now: a rollout does it before
        it moves any traffic, so that a client that cannot be made stops it before any traffic
        moves, and its bakes only wait on the clock."""
        from ..checks import counts, sequential, stats  # noqa: F401 - loaded before any look

        self.reader().connect()

    def recent(self) -> StepWindow:
        """The users' requests to either revision over the last ``bake_seconds`` (one read,
        up to ``max_requests``, a 429 waited out): what a rollout can expect of its steps."""
        end = self.now()
        start = end - timedelta(seconds=self.rules.bake_seconds)
        deadline = time.monotonic() + self.logs_timeout
        found = self._read(0, start, end, start, 1.0, deadline)
        self._rate = seen_rate(found, 0.0, 1.0)
        return found.window

    def reader(self) -> LogReader:
        """The request logs' reader (one client for every window)."""
        if self._reader is None:
            revision = self.facts.revision
            self._reader = LogReader(
                self.facts.ref,
                revision.name,
                revision.created or datetime.now(UTC),
                endpoint=self.logging_endpoint,
                max_entries=self.rules.max_requests,
                pacer=self.pacer,
            )
        return self._reader

    def _grown(
        self, window: StepWindow, share: int, start: datetime, looks: int, holds: int
    ) -> StepWindow:
        """The window with the requests that came since its end, read from
        ``ingestion_seconds`` before it (what showed late), those read before left out: all of
        them, or a uniform sample planned from the rate the last read saw, never larger than
        the window's (so a stretch read twice holds one sample); a read that reaches its cap is
        read again with a sample planned from what it saw, and, capped even so, the window ends
        at its newest entry (the next look reads on from there)."""
        rules = self.rules
        end = self.now()
        begin = max(start, window.end - timedelta(seconds=rules.ingestion_seconds))
        offset = (begin - start).total_seconds()
        seconds = (end - begin).total_seconds()
        fraction = min(window.fraction, sample_fraction(self._rate, seconds, rules.max_requests))
        deadline = time.monotonic() + self.logs_timeout
        waited = self.reader().waited
        pages = 0
        for resampled in range(RESAMPLES + 1):
            part = self._read(share, begin, end, start, fraction, deadline, self._seen)
            pages += part.window.pages
            if not part.window.capped or resampled == RESAMPLES:
                break
            rate = seen_rate(part, offset, fraction)
            fraction = min(fraction, sample_fraction(rate, seconds, rules.max_requests))
        self._rate = seen_rate(part, offset, fraction)
        newest = part.newest
        if part.window.capped and newest is not None:
            end = start + timedelta(seconds=newest)
        kept = (end - start).total_seconds() - rules.ingestion_seconds
        self._seen = {key: t for key, t in {**self._seen, **part.read}.items() if t >= kept}
        return replace(
            window,
            end=end,
            candidate=window.candidate.extended(part.window.candidate),
            stable=window.stable.extended(part.window.stable),
            holds=holds,
            pages=window.pages + pages,  # every read's requests to the Logging API
            capped=window.capped or part.window.capped,
            looks=looks,
            fraction=fraction,
            quota_waited=window.quota_waited + self.reader().waited - waited,
        )

    def _read(  # noqa: PLR0917 - a stretch, its sample and its deadline
        self,
        share: int,
        begin: datetime,
        end: datetime,
        origin: datetime,
        fraction: float,
        deadline: float,
        seen: Container[str] = frozenset(),
    ) -> Slice:
        """One read of the users' requests from ``begin`` to ``end`` (a sample of ``fraction``,
        those ``seen`` left out of its window), their times from ``origin``; over the
        project's read quota (429), it waits and tries again up to the look's ``deadline``
        (--logs-timeout from the look's start)."""
        refused: LoggingApiError | None = None
        for _ in poll(deadline, QUOTA_BACKOFF, clock=time.monotonic, sleep=time.sleep):
            try:
                return read_slice(
                    self.reader(),
                    share=share,
                    candidate=self.candidate,
                    stable=self.stable,
                    start=begin,
                    end=end,
                    origin=origin,
                    fraction=fraction,
                    seen=seen,
                )
            except LoggingApiError as err:
                if err.status != QUOTA_STATUS:
                    raise
                refused = err
        assert refused is not None
        raise refused
