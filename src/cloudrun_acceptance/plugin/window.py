"""A split's window of users' requests, looked at as it grows and judged: the candidate's
against the stable revision's, from Cloud Run's request logs (checks/rollout.py judges).

Every ``rollout.look_seconds`` the window's new requests are read (each look reads what came
since the last, until two reads agree: Cloud Logging lags; a uniform sample of them when more
came than ``rollout.max_requests``, google/requestlog.py) and the whole window so far is
judged: a regression ends the step at once, and evidence that the candidate is within the
tolerances ends it once its minimum bake is over; undecided at the bake's end, it is held (the
looks go on) or ends inconclusive. Every look is counted by the judge's tests, so the looks
cost nothing of the error budget.

Used by the rollout's steps (plugin/rollout.py), which set the split themselves, and by the
check of a canary phase whose split another engine set (``--canary-phase``, Cloud Deploy).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from ..checks.budget import rollout_budget
from ..checks.rollout import judge_step, with_metrics
from ..google.logs import LogReader
from ..google.requestlog import RESAMPLES, read_window, sample_fraction, seen_rate
from ..model.errors import LoggingApiError
from ..model.judge import ErrorBudget
from ..model.polling import Backoff, poll
from ..model.rollout import RevisionTraffic, RolloutRules, StepWindow
from ..model.service import ServiceFacts
from ..model.verdict import Verdict, failed

# Cloud Logging shows entries seconds after they are written: a look's slice is read again
# until two reads agree (or --logs-timeout passes).
SETTLE_BACKOFF = Backoff(first=0.25, cap=2.0)
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
    _reader: LogReader | None = field(default=None, repr=False)
    # The users' rate the last read of this judgement saw (entries a second, both revisions):
    # the next read's sample is planned from it.
    _rate: float | None = field(default=None, repr=False)

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
        # Each judgement plans its first read afresh: a read that reaches its cap is read again
        # smaller, planned from what it saw (the rate of another step's share is not this one's).
        self._rate = None
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
                return None, failed(
                    f"the {share}% split could not be judged: {err.summary}", advice=err.advice
                )
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
        """The window with Cloud Run's own request counts of it, from Cloud Monitoring (every
        request, at any rate; whole minutes, the newest late), or why there are none: the
        step's verdict stands on the request logs either way."""
        from ..google.monitoring import MetricsReader
        from ..model.errors import MonitoringApiError

        reader = MetricsReader(self.facts.ref, endpoint=self.monitoring_endpoint)
        try:
            counts = reader.request_counts((self.candidate, self.stable), window.start, window.end)
        except MonitoringApiError as err:
            return replace(window, metrics_problem=f"{err.summary}; {err.advice}")
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
        return self._read(0, start, end, start, 1.0, time.monotonic() + self.logs_timeout)

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
            )
        return self._reader

    def _grown(
        self, window: StepWindow, share: int, start: datetime, looks: int, holds: int
    ) -> StepWindow:
        """The window with the requests that came since its end, read until two reads of that
        slice agree: all of them, or a uniform sample planned from the rate the last read saw;
        a read that reaches its cap is read again with a sample planned from what it saw."""
        end = self.now()
        begin = (window.end - start).total_seconds()
        seconds = (end - window.end).total_seconds()
        fraction = sample_fraction(self._rate, seconds, self.rules.max_requests)
        seen, pages, resampled = -1, 0, 0
        part = None
        deadline = time.monotonic() + self.logs_timeout
        for _ in poll(deadline, SETTLE_BACKOFF, clock=time.monotonic, sleep=time.sleep):
            part = self._read(share, window.end, end, start, fraction, deadline)
            pages += part.pages
            if part.capped and resampled < RESAMPLES:
                resampled += 1
                fraction = min(
                    fraction,
                    sample_fraction(
                        seen_rate(part, begin, fraction), seconds, self.rules.max_requests
                    ),
                )
                seen = -1
                continue
            count = part.candidate.requests + part.stable.requests
            if count == seen:
                break
            seen = count
        assert part is not None
        # The read kept is the last one taken: its own fraction (a resample planned at the
        # deadline was never read).
        fraction = part.fraction
        self._rate = seen_rate(part, begin, fraction)
        return replace(
            window,
            end=end,
            candidate=window.candidate.extended(part.candidate),
            stable=window.stable.extended(part.stable),
            holds=holds,
            pages=window.pages + pages,  # every read's requests to the Logging API
            capped=window.capped or part.capped,
            looks=looks,
            fraction=min(window.fraction, fraction),
        )

    def _read(  # noqa: PLR0917 - a stretch, its sample and its deadline
        self,
        share: int,
        begin: datetime,
        end: datetime,
        origin: datetime,
        fraction: float,
        deadline: float,
    ) -> StepWindow:
        """One read of the users' requests from ``begin`` to ``end`` (a sample of ``fraction``),
        their times from ``origin``; over the project's read quota (429), it waits and tries
        again up to the look's ``deadline`` (--logs-timeout from the look's start)."""
        refused: LoggingApiError | None = None
        for _ in poll(deadline, QUOTA_BACKOFF, clock=time.monotonic, sleep=time.sleep):
            try:
                return read_window(
                    self.reader(),
                    share=share,
                    candidate=self.candidate,
                    stable=self.stable,
                    start=begin,
                    end=end,
                    origin=origin,
                    fraction=fraction,
                )
            except LoggingApiError as err:
                if err.status != QUOTA_STATUS:
                    raise
                refused = err
        assert refused is not None
        raise refused
