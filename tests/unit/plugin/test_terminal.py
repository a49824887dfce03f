"""Which errors are a prerequisite's dependents: setup errors whose failure says "not checked";
they are held back from pytest's ERRORS section and short summary, and only there."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from cloudrun_acceptance.plugin.terminal import held_back, is_dependent

WORKER = "[gw0] linux -- Python 3.11.7 /usr/bin/python3"


def report(when: str, text: str, *, failed: bool = True) -> SimpleNamespace:
    # xdist's controller prints a worker's report with its worker's line first.
    return SimpleNamespace(
        when=when, failed=failed, node=object(), longreprtext=f"{WORKER}\n{text}"
    )


def test_only_a_setup_error_that_says_not_checked_is_a_dependent():
    assert is_dependent(report("setup", "not checked: no exposition; see test_metrics_enabled"))
    assert not is_dependent(report("call", "not checked: the stable revision's families"))
    assert not is_dependent(report("setup", "fixture 'x' not found"))
    assert not is_dependent(report("teardown", "not checked: x"))
    assert not is_dependent(report("setup", "not checked: x", failed=False))


class Reporter:
    """The two methods of pytest's TerminalReporter that write a block or a line per error."""

    def __init__(self, errors: list[Any]) -> None:
        self.stats: dict[str, list[Any]] = {"error": errors}
        self.seen: list[int] = []

    def summary_errors(self) -> None:
        self.seen.append(len(self.stats["error"]))


def test_the_held_errors_are_missing_only_while_the_section_runs():
    own, dependent = report("setup", "boom"), report("setup", "not checked: x")
    errors = [own, dependent]
    terminal = Reporter(errors)
    with held_back(terminal, "summary_errors", [dependent]):
        assert terminal.stats["error"] == [own, dependent]  # another plugin sees both
        terminal.summary_errors()
        assert terminal.stats["error"] is errors
    terminal.summary_errors()
    assert terminal.seen == [1, 2]
    assert "summary_errors" not in vars(terminal)  # the reporter's own method is back


def test_a_reporter_without_the_section_is_left_alone():
    terminal = Reporter([report("setup", "not checked: x")])
    with held_back(terminal, "short_test_summary", terminal.stats["error"]):
        assert not hasattr(terminal, "short_test_summary")
    assert len(terminal.stats["error"]) == 1
