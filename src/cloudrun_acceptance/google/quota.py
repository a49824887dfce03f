"""The project's Cloud Logging read quota, shared by the reads of one run: each entries:list
call waits its turn (model/quota.py's window) rather than be refused with 429.

Several targets judged side by side (one service in several regions) read from threads of their
own; one ReadPacer per project, shared by their readers, keeps them all within the quota, and
counts what the waiting cost, for the report. A wait is never refused: the oldest call of the
minute leaves it within a minute, and the wait does not count against a listing's timeout (the
API's answer does).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ..model.quota import CallWindow

# Cloud Logging's default read quota: entries:list calls a minute per project.
READS_PER_MINUTE = 60


class ReadPacer:
    """At most ``per_minute`` calls in any minute, waited for on ``clock`` with ``sleep``."""

    def __init__(
        self,
        per_minute: int = READS_PER_MINUTE,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.per_minute = per_minute
        self.calls = 0
        self.waited = 0.0
        self._window = CallWindow(per_minute)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()

    def take(self) -> float:
        """Wait until one more call is within the quota (it is then counted: within a minute
        at most, as the oldest call of the minute leaves it); the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                wait = self._window.admit(self._clock())
                if wait <= 0:
                    self.calls += 1
                    self.waited += waited
                    return waited
            self._sleep(wait)
            waited += wait
