"""A stand-in for the ``time`` module of the window judge: monotonic time that passes only when
the code under test sleeps, so a bake of minutes passes at once."""

from __future__ import annotations


class FakeTime:
    """``time.monotonic`` and ``time.sleep``, on a clock of the test's."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
