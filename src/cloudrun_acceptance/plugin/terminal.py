"""The end of the terminal: the dependent "not checked" errors once per cause, then the traffic
and the verdict as the run's last lines (above pytest's own count line).

A session fixture that cannot give its value (no usable exposition, a service not answering)
fails every check that needs it at setup with the same "not checked: ...; see test_x" message.
pytest prints each such error as a block of the ERRORS section and a line of the short test
summary: 17 copies of one cause above the failure that explains them. Here they are held back
from both and written once per cause, after the short summary; they still count as errors in
pytest's counts and exit code.

The errors are held back from exactly two methods of pytest's terminal reporter,
``summary_errors`` (the ERRORS section) and ``short_test_summary``: while each runs, its
``stats["error"]`` lacks the dependent errors. Every other reader of ``stats``, the count line
and any plugin's own ``pytest_terminal_summary``, sees all of them. A terminal reporter without
those two methods (one that replaces pytest's) prints the errors as it would, each one.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import pytest

from ..report.reporter import GateReporter, failure_text
from ..report.terminal import NOT_CHECKED, not_checked_lines

# pytest's TerminalReporter methods that write a block or a line per error.
SECTIONS = ("summary_errors", "short_test_summary")


def is_dependent(report: Any) -> bool:
    """A setup error raised by a fixture whose prerequisite failed: "not checked: ..."."""
    return (
        getattr(report, "when", None) == "setup"
        and bool(getattr(report, "failed", False))
        and failure_text(report).startswith(NOT_CHECKED)
    )


@contextmanager
def held_back(terminalreporter: Any, name: str, held: list[Any]) -> Iterator[None]:
    """While it is in place, the reporter's method ``name`` runs with ``stats["error"]``
    lacking ``held``; the reporter gets its own method back on leaving."""
    section: Callable[..., Any] | None = getattr(terminalreporter, name, None)
    if section is None or not held:
        yield
        return
    hidden = {id(report) for report in held}

    def without_held(*args: Any, **kwargs: Any) -> Any:
        stats: dict[str, list[Any]] = terminalreporter.stats
        errors = stats.get("error", [])
        stats["error"] = [report for report in errors if id(report) not in hidden]
        try:
            return section(*args, **kwargs)
        finally:
            stats["error"] = errors

    own = vars(terminalreporter)
    before = own.get(name)
    setattr(terminalreporter, name, without_held)
    try:
        yield
    finally:
        if before is None:
            delattr(terminalreporter, name)
        else:
            setattr(terminalreporter, name, before)


class TerminalEnding:
    """Registered with the reporter, on the controller: the run's closing lines."""

    def __init__(self, reporter: GateReporter) -> None:
        self.reporter = reporter

    # tryfirst makes this the outermost wrapper: its code before ``yield`` runs before pytest's
    # ERRORS and FAILURES sections, its code after it once the short test summary is written.
    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_terminal_summary(self, terminalreporter: Any) -> Generator[None, None, None]:
        errors: list[Any] = terminalreporter.stats.get("error", [])
        held = [report for report in errors if is_dependent(report)]
        with ExitStack() as stack:
            for name in SECTIONS:
                stack.enter_context(held_back(terminalreporter, name, held))
            yield
        for line in not_checked_lines([failure_text(report) for report in held]):
            terminalreporter.write_line(line, red=True)
        self.reporter.write_closing(terminalreporter)
