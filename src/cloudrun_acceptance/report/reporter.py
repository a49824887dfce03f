"""The reporter: gathers a run's results on the controller and writes its reports at the end.

Registered on the controller only (never on an xdist worker). It gathers the test reports, with
the verdicts the checks attached to them, and writes at session finish, which pytest also
reaches on a failed or interrupted run. This is the report layer's only pytest-aware module.
"""

from __future__ import annotations

import os
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ..model.verdict import INCONCLUSIVE_PREFIX, Verdict
from .junit import suite_properties
from .junitcases import failure_parts, rewrite_failures
from .junitsplit import split_suites
from .markdown import render_markdown
from .record import CheckResult, RunRecord
from .release import release_lines
from .rollout_table import rollout_lines
from .targets import overall_status, render_targets_markdown, targets_lines
from .terminal import verdict_line

# The attribute of a TestReport that carries the check's verdict (to the controller, under xdist).
REPORT_ATTRIBUTE = "cloudrun_verdict"
# The testcase property naming a check's target, in a run of several (plugin/targets.py sets it).
TARGET_PROPERTY = "cloudrun_acceptance.target"
PREFIX = "cloudrun-acceptance: "
# The line xdist's controller prints first for a worker's report (pytest's getworkerinfoline).
_WORKER_LINE = re.compile(r"\[[^\]\s]+\] .* -- Python \S+.*")


def verdict_payload(verdict: Verdict) -> dict[str, Any]:
    """The verdict as plain JSON-able values, attached to the TestReport."""
    return {
        "status": verdict.status,
        "summary": verdict.summary,
        "evidence": list(verdict.evidence),
        "advice": verdict.advice,
        "figures": dict(verdict.figures),
    }


class GateReporter:
    """Gathers the run's results (on the controller) and writes the reports at the end.

    ``records``: the run's record, keyed "" in a run of one target; in a run of several (one
    service in several regions), a record per target keyed by its name, which each check's
    ``TARGET_PROPERTY`` testcase property carries."""

    def __init__(
        self,
        config: pytest.Config,
        records: Mapping[str, RunRecord],
        markdown: Path,
        junit: Path | None,
    ) -> None:
        self.config = config
        self.records = dict(records)
        self.record = next(iter(self.records.values()))
        self.markdown = markdown
        self.junit = junit
        self.written: list[Path] = []
        self.problems: list[str] = []
        self.printed = 0  # how many problems the closing lines printed
        # A failed verdict's JUnit message and text, keyed by the text pytest writes for it.
        self.failures: dict[str, tuple[str, str]] = {}

    def _key(self, properties: list[tuple[str, object]]) -> str:
        """The target a check's properties name ("" in a run of one)."""
        for name, value in properties:
            if name == TARGET_PROPERTY and str(value) in self.records:
                return str(value)
        return ""

    def _of(self, properties: list[tuple[str, object]]) -> RunRecord:
        """The record of the target a check's properties name (the run's, in a run of one)."""
        return self.records.get(self._key(properties), self.record)

    def _result(self, nodeid: str, properties: list[tuple[str, object]]) -> CheckResult:
        """The check's result in its target's record, made on first sight."""
        key = self._key(properties)
        results = self._of(properties).results
        return results.setdefault(nodeid, CheckResult(nodeid, target=key))

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        """Every collected check, in run order; those that never report stay "not run"."""
        for item in items:
            self._result(item.nodeid, item.user_properties)

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        for item in items:
            self._of(item.user_properties).deselected.append(item.nodeid)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        result = self._result(report.nodeid, report.user_properties)
        verdict: Mapping[str, Any] | None = getattr(report, REPORT_ATTRIBUTE, None)
        if verdict is not None:
            result.summary = str(verdict.get("summary", ""))
            result.figures = dict(verdict.get("figures", {}))
            result.evidence = list(verdict.get("evidence", []))
            result.advice = str(verdict.get("advice", ""))
            result.inconclusive = verdict.get("status") == "inconclusive"
        result.duration += report.duration
        if report.when == "setup" and report.failed:
            result.outcome, result.message = "error", failure_text(report)
            result.summary = _crash_line(report)  # the exception, not the fixture's source
        elif report.skipped and report.when in {"setup", "call"}:
            result.outcome, result.message = "skipped", _skip_reason(report)
        elif report.when == "call":
            result.outcome = report.outcome
            result.message = failure_text(report) if report.failed else ""
            if report.failed and verdict is not None:
                # The text junitxml writes: the failure alone, without xdist's worker line.
                self.failures[str(report.longrepr).strip()] = _failure_parts(verdict)
            if report.failed and verdict is None:
                # A plain assert (a team's own check): the assertion, not the traceback's start.
                result.summary = _crash_line(report)
        elif report.when == "teardown" and report.failed:
            result.outcome, result.message = "error", failure_text(report)
            result.summary = result.summary or _crash_line(report)

    @property
    def several(self) -> bool:
        """A run of several targets."""
        return len(self.records) > 1

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """Before junitxml writes its file: add the suite properties; then write the report."""
        finished = datetime.now(UTC)
        for record in self.records.values():
            record.finished = finished
            record.exitstatus = int(exitstatus)
            record.interrupted = exitstatus == pytest.ExitCode.INTERRUPTED
        from _pytest.junitxml import xml_key

        junit = self.config.stash.get(xml_key, None)
        if junit is not None and not self.several:  # several: a suite each, once written
            for name, value in suite_properties(self.record):
                junit.add_global_property(name, value)
        text = (
            render_targets_markdown(self.records) if self.several else render_markdown(self.record)
        )
        self._write(self.markdown, text, append=False)
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            self._write(Path(summary), text + "\n", append=True)

    # A second session finish of this object (pluggy's specname; pytest takes only methods
    # named pytest_*): trylast, it runs after junitxml's, which writes the file, and before the
    # terminal summary, which prints the problems among the closing lines.
    @pytest.hookimpl(trylast=True, specname="pytest_sessionfinish")
    def pytest_sessionfinish_junit(self) -> None:
        """Once junitxml wrote its file: each failure's message and text as viewers show them;
        a testsuite per target, in a run of several."""
        if self.junit is None or not self.junit.is_file():
            return
        try:
            rewrite_failures(self.junit, self.failures)
            if self.several:
                suites = {key: suite_properties(record) for key, record in self.records.items()}
                name = str(self.config.getini("junit_suite_name"))
                split_suites(self.junit, TARGET_PROPERTY, suites, name)
        except (OSError, ET.ParseError) as err:
            self.problems.append(junit_problem(self.junit, err, several=self.several))

    def pytest_unconfigure(self) -> None:
        """A run that printed no closing lines (an internal error, ``-p no:terminal``) still
        shows its problems, on stderr."""
        for problem in self.problems[self.printed :]:
            sys.stderr.write(f"{PREFIX}{problem}\n")

    def _write(self, path: Path, text: str, *, append: bool) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a" if append else "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as err:
            self.problems.append(f"could not write {path}: {err.strerror}")
        else:
            if not append:
                self.written.append(path)

    def write_closing(self, terminalreporter: Any) -> None:
        """The run's last lines (plugin/terminal.py calls it after pytest's short summary):
        the traffic, then the verdict and the report, each path once (pytest's junitxml names
        its own file above, "generated xml file", unless -q)."""
        for problem in self.problems:
            terminalreporter.write_line(f"{PREFIX}{problem}", red=True)
        self.printed = len(self.problems)
        shown = self.junit is not None and self.junit.is_file() and not self._junit_named()
        paths = ([self.junit] if shown and self.junit else []) + self.written
        if self.several:
            for key, record in self.records.items():
                for line in rollout_lines(record) + release_lines(record.release):
                    terminalreporter.write_line(line.replace(PREFIX, f"{PREFIX}{key}: ", 1))
            *each, whole = targets_lines(self.records, paths)
            for line in each:
                terminalreporter.write_line(line)
            status = overall_status(self.records)
        else:
            for line in rollout_lines(self.record) + release_lines(self.record.release):
                terminalreporter.write_line(line)
            whole, status = verdict_line(self.record, paths), self.record.status
        terminalreporter.write_line(
            whole,
            green=status == "PASSED",
            red=status == "FAILED",
            yellow=status == "INCONCLUSIVE",
        )

    def _junit_named(self) -> bool:
        """pytest's junitxml writes "generated xml file: PATH" in its terminal summary."""
        from _pytest.junitxml import xml_key

        return xml_key in self.config.stash and self.config.get_verbosity() >= 0


def junit_problem(path: Path, err: Exception, *, several: bool = False) -> str:
    """Why the JUnit file was not rewritten, and what it holds instead."""
    why = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
    left = "a failure's message cut at 500 characters, its text repeating it"
    left += "; one testsuite for every target" if several else ""
    return (
        f"could not rewrite the JUnit file {path} ({why}): it stays as pytest's junitxml wrote "
        f"it ({left}); the markdown report holds every failure whole"
    )


def failure_text(report: Any) -> str:
    """The failure as pytest prints it, the same with and without xdist: on the controller, a
    worker's report prints the worker's line first ("[gw0] linux -- Python 3.11.7 ..."), which
    is dropped here."""
    text = str(getattr(report, "longreprtext", ""))
    first, _, rest = text.partition("\n")
    if hasattr(report, "node") and _WORKER_LINE.fullmatch(first):
        return rest.strip()
    return text


def _failure_parts(verdict: Mapping[str, Any]) -> tuple[str, str]:
    inconclusive = INCONCLUSIVE_PREFIX if verdict.get("status") == "inconclusive" else ""
    return failure_parts(
        inconclusive + str(verdict.get("summary", "")),
        [str(line) for line in verdict.get("evidence", [])],
        str(verdict.get("advice", "")),
    )


def _crash_line(report: pytest.TestReport) -> str:
    """The failing line's message (``assert 200 == 404``), as pytest's short summary gives it."""
    crash = getattr(report.longrepr, "reprcrash", None)
    message = getattr(crash, "message", "") if crash is not None else ""
    return " ".join(str(message).split()) or next(iter(failure_text(report).splitlines()), "")


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return failure_text(report)
