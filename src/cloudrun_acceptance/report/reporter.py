"""The reporter: gathers a run's results on the controller and writes its reports at the end.

Registered on the controller only (never on an xdist worker). It gathers the test reports, with
the verdicts the checks attached to them, and writes at session finish, which pytest also
reaches on a failed or interrupted run. This is the report layer's only pytest-aware module.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ..model.verdict import Verdict
from .junit import suite_properties
from .markdown import render_markdown
from .record import CheckResult, RunRecord
from .release import release_lines
from .rollout import rollout_lines
from .terminal import verdict_line

# The attribute of a TestReport that carries the check's verdict (to the controller, under xdist).
REPORT_ATTRIBUTE = "cloudrun_verdict"


def verdict_payload(verdict: Verdict) -> dict[str, Any]:
    """The verdict as plain JSON-able values, attached to the TestReport."""
    return {
        "status": verdict.status,
        "summary": verdict.summary,
        "evidence": list(verdict.evidence),
        "figures": dict(verdict.figures),
    }


class GateReporter:
    """Gathers the run's results (on the controller) and writes the reports at the end."""

    def __init__(
        self, config: pytest.Config, record: RunRecord, markdown: Path, junit: Path | None
    ) -> None:
        self.config = config
        self.record = record
        self.markdown = markdown
        self.junit = junit
        self.written: list[Path] = []
        self.problems: list[str] = []

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        """Every collected check, in run order; those that never report stay "not run"."""
        for item in items:
            self.record.results.setdefault(item.nodeid, CheckResult(item.nodeid))

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        self.record.deselected += [item.nodeid for item in items]

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        result = self.record.results.setdefault(report.nodeid, CheckResult(report.nodeid))
        verdict: Mapping[str, Any] | None = getattr(report, REPORT_ATTRIBUTE, None)
        if verdict is not None:
            result.summary = str(verdict.get("summary", ""))
            result.figures = dict(verdict.get("figures", {}))
            result.evidence = list(verdict.get("evidence", []))
            result.inconclusive = verdict.get("status") == "inconclusive"
        result.duration += report.duration
        if report.when == "setup" and report.failed:
            result.outcome, result.message = "error", report.longreprtext
        elif report.skipped and report.when in {"setup", "call"}:
            result.outcome, result.message = "skipped", _skip_reason(report)
        elif report.when == "call":
            result.outcome = report.outcome
            result.message = report.longreprtext if report.failed else ""
            if report.failed and verdict is None:
                # A plain assert (a team's own check): the assertion, not the traceback's start.
                result.summary = _crash_line(report)
        elif report.when == "teardown" and report.failed:
            result.outcome, result.message = "error", report.longreprtext

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """Before junitxml writes its file: add the suite properties; then write the report."""
        record = self.record
        record.finished = datetime.now(UTC)
        record.exitstatus = int(exitstatus)
        record.interrupted = exitstatus == pytest.ExitCode.INTERRUPTED
        from _pytest.junitxml import xml_key

        junit = self.config.stash.get(xml_key, None)
        if junit is not None:
            for name, value in suite_properties(record):
                junit.add_global_property(name, value)
        text = render_markdown(record)
        self._write(self.markdown, text, append=False)
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            self._write(Path(summary), text + "\n", append=True)

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

    @pytest.hookimpl(trylast=True)
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        for problem in self.problems:
            terminalreporter.write_line(f"cloudrun-acceptance: {problem}", red=True)
        paths = ([self.junit] if self.junit else []) + self.written
        status = self.record.status
        for line in rollout_lines(self.record) + release_lines(self.record.release):
            terminalreporter.write_line(line)
        terminalreporter.write_line(
            verdict_line(self.record, paths),
            green=status == "PASSED",
            red=status == "FAILED",
            yellow=status == "INCONCLUSIVE",
        )


def _crash_line(report: pytest.TestReport) -> str:
    """The failing line's message (``assert 200 == 404``), as pytest's short summary gives it."""
    crash = getattr(report.longrepr, "reprcrash", None)
    message = getattr(crash, "message", "") if crash is not None else ""
    return " ".join(str(message).split()) or next(iter(report.longreprtext.splitlines()), "")


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return report.longreprtext
