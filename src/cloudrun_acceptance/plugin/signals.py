"""SIGTERM, as a cancelled CI job sends it, interrupts the run as Ctrl-C does: the session ends
as interrupted, the reports are written, and an interrupted rollout says where it left the
traffic, with the commands that finish or revert it. Python's default for SIGTERM ends the
process at once, saying nothing."""

from __future__ import annotations

import signal
import threading
from types import FrameType

import pytest


def interrupt_on_sigterm(config: pytest.Config) -> None:
    """Turn SIGTERM into KeyboardInterrupt for this run (unless something else handles it);
    the previous handler is put back when the run ends."""
    if threading.current_thread() is not threading.main_thread():
        return  # signal handlers belong to the main thread (pytester may run elsewhere)
    previous = signal.getsignal(signal.SIGTERM)
    if previous is not signal.SIG_DFL:
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")

    def put_back() -> None:
        signal.signal(signal.SIGTERM, previous)

    signal.signal(signal.SIGTERM, interrupt)
    config.add_cleanup(put_back)
