"""The logs stage runs beside the forced analysis: in a thread of its own, joined before use."""

from __future__ import annotations

import threading
import time

from cloudrun_acceptance.engine.log_stage import LogsStage
from cloudrun_acceptance.model.errors import LoggingApiError
from cloudrun_acceptance.model.logs import Listing, StartupScan


class Reader:
    """A log reader that answers when released, and notes the thread that asked."""

    def __init__(self, refuse: bool = False) -> None:
        self.refuse = refuse
        self.threads: list[str] = []
        self.released = threading.Event()
        self.released.set()

    def connect(self) -> None:
        self.threads.append(threading.current_thread().name)
        self.released.wait()

    def list(self, condition: str = "", **_: object) -> Listing:
        if self.refuse:
            raise LoggingApiError("denied", "grant roles/logging.viewer.", 403)
        return Listing((), 1, False, condition)


def stage(reader: Reader, lines: tuple[str, ...] = ("ready",)) -> LogsStage:
    return LogsStage(reader, time.monotonic() + 5, lines)  # type: ignore[arg-type]


def test_the_scan_runs_in_a_thread_of_its_own_and_is_joined_before_use():
    reader = Reader()
    reader.released.clear()
    logs = stage(reader)
    logs.start()  # returns while the scan waits: the reader is not released yet
    reader.released.set()
    scan = logs.startup_scan()
    assert isinstance(scan, StartupScan)
    assert reader.threads[0].startswith("cloudrun-logs")
    assert logs.joined_reader() is reader


def test_without_an_early_start_the_first_use_runs_the_scan():
    reader = Reader()
    logs = stage(reader, lines=())
    assert logs.joined_reader() is reader
    assert reader.threads  # connected, even with no startup line to look for


def test_a_refusal_is_the_scan_s_result_not_an_exception():
    logs = stage(Reader(refuse=True))
    logs.start()
    logs.start()  # once only
    found = logs.startup_scan()
    assert isinstance(found, LoggingApiError)
    assert found.summary == "denied"
