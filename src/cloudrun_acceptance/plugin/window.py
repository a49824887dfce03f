"""A split's window of users' requests, baked and judged: the candidate's against the stable
revision's, over the same window, from Cloud Run's request logs (checks/rollout.py judges).

Used by the rollout's steps (plugin/rollout.py), which set the split themselves, and by the
check of a canary phase whose split another engine set (``--canary-phase``, Cloud Deploy).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from ..checks.rollout import judge_step
from ..google.logs import LogReader
from ..google.requestlog import read_window
from ..model.errors import LoggingApiError
from ..model.polling import Backoff, poll
from ..model.rollout import RolloutRules, StepWindow
from ..model.service import ServiceFacts
from ..model.verdict import Verdict, failed

# Cloud Logging shows entries seconds after they are written: a window is read again until two
# reads agree (or --logs-timeout passes).
SETTLE_BACKOFF = Backoff(first=0.25, cap=2.0)


@dataclass
class WindowJudge:
    """Bakes a split and judges its window: ``facts``' revision (the candidate) against
    ``stable``."""

    facts: ServiceFacts
    stable: str
    rules: RolloutRules
    logging_endpoint: str | None
    logs_timeout: float
    _reader: LogReader | None = field(default=None, repr=False)

    @property
    def candidate(self) -> str:
        """The revision judged."""
        return self.facts.revision.name

    def judge(self, share: int) -> tuple[StepWindow | None, Verdict]:
        """Bake the split as it is now (the candidate at ``share``), then judge its window;
        an inconclusive one is baked again, up to ``max_holds`` times, with ``on_too_few:
        hold``."""
        start = datetime.now(UTC)
        holds = 0
        while True:
            self._bake(time.monotonic() + self.rules.bake_seconds)
            try:
                window = self._settled_window(share, start, holds)
            except LoggingApiError as err:
                return None, failed(
                    f"the {share}% split could not be judged: {err.summary}", advice=err.advice
                )
            verdict = judge_step(window, self.rules)
            hold = self.rules.on_too_few == "hold" and holds < self.rules.max_holds
            if verdict.status != "inconclusive" or not hold:
                return window, verdict
            holds += 1

    def prepare(self) -> None:
        """Load what the judge needs (the Logging client, scipy) now: a rollout does it before
        it moves any traffic, so that a client that cannot be made stops it before any traffic
        moves, and its bakes only wait on the clock."""
        from ..checks import stats  # noqa: F401 - loaded once, before the split is judged

        self.reader().connect()

    def _bake(self, until: float) -> None:
        """Wait out the bake (a canary phase's judge loads what it needs in its first seconds,
        which wait on nothing but the clock)."""
        self.prepare()
        time.sleep(max(0.0, until - time.monotonic()))

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

    def _settled_window(self, share: int, start: datetime, holds: int) -> StepWindow:
        end = datetime.now(UTC)
        seen, pages = -1, 0
        window = None
        for _ in poll(time.monotonic() + self.logs_timeout, SETTLE_BACKOFF):
            window = read_window(
                self.reader(),
                share=share,
                candidate=self.candidate,
                stable=self.stable,
                start=start,
                end=end,
                holds=holds,
            )
            pages += window.pages
            count = window.candidate.requests + window.stable.requests
            if count == seen:
                break
            seen = count
        assert window is not None
        return replace(window, pages=pages)  # every read's requests to the Logging API
