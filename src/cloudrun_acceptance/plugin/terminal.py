"""The end of the terminal: the dependent "not checked" errors once per cause, then the traffic
and the verdict as the run's last lines (above pytest's own count line).

A session fixture that cannot give its value (no usable exposition, a service not answering)
fails every check that needs it at setup with the same "not checked: ...; see test_x" message.
pytest prints each such error as a block of the ERRORS section and a line of the short test
summary: 17 copies of one cause above the failure that explains them. Here they are held back
from both and written once per cause, after the short summary; they still count as errors in
pytest's counts and exit code.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

from ..report.reporter import GateReporter
from ..report.terminal import NOT_CHECKED, not_checked_lines


def is_dependent(report: Any) -> bool:
    """A setup error raised by a fixture whose prerequisite failed: "not checked: ..."."""
    return (
        getattr(report, "when", None) == "setup"
        and bool(getattr(report, "failed", False))
        and failure_text(report).startswith(NOT_CHECKED)
    )


def failure_text(report: Any) -> str:
    """The failure as raised: ``longrepr``'s text (``longreprtext`` starts with the xdist
    worker's line, "[gw0] linux -- Python ...", on a worker's report)."""
    return str(getattr(report, "longrepr", ""))


class TerminalEnding:
    """Registered with the reporter, on the controller: the run's closing lines."""

    def __init__(self, reporter: GateReporter) -> None:
        self.reporter = reporter

    # tryfirst makes this the outermost wrapper: its code before ``yield`` runs before pytest's
    # ERRORS and FAILURES sections, its code after it once the short test summary is written.
    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_terminal_summary(self, terminalreporter: Any) -> Generator[None, None, None]:
        # The one place the terminal reporter's internals are touched: ``stats`` (the reports
        # by category, read by the ERRORS section, the short summary and the count line) lends
        # the sections a list without the dependent errors, and gets its own list back before
        # pytest writes the counts, so they stay true.
        stats: dict[str, list[Any]] = terminalreporter.stats
        errors = stats.get("error", [])
        held = [report for report in errors if is_dependent(report)]
        if held:
            stats["error"] = [report for report in errors if not is_dependent(report)]
        try:
            yield
        finally:
            if held:
                stats["error"] = errors
        for line in not_checked_lines([failure_text(report) for report in held]):
            terminalreporter.write_line(line, red=True)
        self.reporter.write_closing(terminalreporter)
