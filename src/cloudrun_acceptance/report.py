"""Reports of a gate run: JUnit suite properties, the markdown validation report, the CI step
summary and the one-line verdict.

``GateReporter`` is registered on the controller only (never on an xdist worker). It gathers the
test reports, with the verdicts the checks attached to them, and writes at session finish, which
pytest also reaches on a failed or interrupted run. The rendering functions are pure.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from .apierrors import AdminApiError
from .cloudrun import ServiceFacts
from .contract import Contract
from .gate import REPORT_ATTRIBUTE
from .target import VERSION, Target
from .verdict import INITIAL

ICONS = {
    "passed": "✅",
    "failed": "❌",
    "error": "💥",
    "skipped": "⏭️",
    "inconclusive": "⚠️",
    "not run": "⏸️",
}


@dataclass
class CheckResult:
    """One check's outcome, summary, evidence and figures."""

    nodeid: str
    outcome: str = "not run"
    summary: str = ""
    message: str = ""
    figures: dict[str, str] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)
    inconclusive: bool = False
    duration: float = 0.0

    @property
    def name(self) -> str:
        """The test id as a sentence: ``metric is exposed with its type · cache_size``."""
        function = self.nodeid.split("::")[-1]
        base, _, param = function.partition("[")
        words = base.removeprefix("test_").replace("_", " ")
        return f"{words} · {param[:-1]}" if param else words

    @property
    def shown_outcome(self) -> str:
        """The outcome, with inconclusive verdicts told apart from plain failures and skips."""
        return "inconclusive" if self.inconclusive else self.outcome


@dataclass
class RunRecord:
    """Everything one run's reports say."""

    target: Target | None
    contract: Contract | None
    facts: ServiceFacts | AdminApiError | None
    started: datetime
    finished: datetime | None = None
    results: dict[str, CheckResult] = field(default_factory=dict)
    deselected: list[str] = field(default_factory=list)
    exitstatus: int = 0
    interrupted: bool = False

    def count(self, outcome: str) -> int:
        """How many checks ended with ``outcome`` (as shown)."""
        return sum(1 for result in self.results.values() if result.shown_outcome == outcome)

    @property
    def status(self) -> str:
        """PASSED, FAILED or INCONCLUSIVE: the gate's verdict on the revision."""
        if self.count("failed") or self.count("error") or self.count("not run") or self.interrupted:
            return "FAILED"
        if self.count("inconclusive"):
            return "INCONCLUSIVE"
        if self.exitstatus not in {0, 5} or not self.count("passed"):
            return "FAILED"
        return "PASSED"

    @property
    def label(self) -> str:
        """What was checked, in one word: the revision, else the host."""
        if self.target is None:
            return "no target"
        return self.target.revision or self.target.label

    def counts(self) -> str:
        """``40 passed, 1 failed, 0 errors, 2 skipped``, plus not run and inconclusive when any."""
        parts = [
            f"{self.count('passed')} passed",
            f"{self.count('failed')} failed",
            f"{self.count('error')} errors",
            f"{self.count('skipped')} skipped",
        ]
        for extra in ("inconclusive", "not run"):
            if self.count(extra):
                parts.append(f"{self.count(extra)} {extra}")
        if self.deselected:
            parts.append(f"{len(self.deselected)} deselected")
        return ", ".join(parts)


def suite_properties(record: RunRecord) -> list[tuple[str, str]]:
    """The JUnit testsuite properties: what was checked, with which contract, when, by what."""
    target, contract = record.target, record.contract
    facts = record.facts if isinstance(record.facts, ServiceFacts) else None
    values = {
        "service_url": target.url if target else None,
        "project": target.project if target else None,
        "region": target.region if target else None,
        "service": target.service if target else None,
        "revision": target.revision if target else None,
        "image": facts.revision.image if facts else None,
        "contract": str(contract.path) if contract else None,
        "contract_sha256": contract.sha256 if contract else None,
        "started_at": _stamp(record.started),
        "finished_at": _stamp(record.finished) if record.finished else None,
        "status": record.status,
        "gate_version": VERSION,
    }
    return [(f"cloudrun_acceptance.{key}", value) for key, value in values.items() if value]


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render_markdown(record: RunRecord) -> str:
    """The validation report, in the runbook's order, readable rendered on GitHub."""
    target, contract = record.target, record.contract
    status_icon = {"PASSED": "✅", "FAILED": "❌", "INCONCLUSIVE": "⚠️"}[record.status]
    lines = [f"# Validation report: {record.label}", "", "| | |", "|---|---|"]
    rows: list[tuple[str, str]] = [
        ("Date", record.started.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"))
    ]
    if target is not None:
        if target.service:
            rows.append(("Service", f"{target.service} ({target.project}, {target.region})"))
        rows.append(("URL", target.url or "unknown"))
        rows.append(
            (
                "Revision",
                f"{target.revision} ({target.revision_origin})" if target.revision else "not read",
            )
        )
        if target.sandbox_faults:
            rows.append(("Sandbox faults", ", ".join(target.sandbox_faults)))
    if isinstance(record.facts, ServiceFacts):
        rows.append(("Image", f"`{record.facts.revision.image}`"))
    rows.append(
        (
            "Status",
            f"**{record.status}** {status_icon}" + (" (interrupted)" if record.interrupted else ""),
        )
    )
    rows.append(("Checks", record.counts()))
    if contract is not None:
        rows.append(("Contract", f"`{contract.path.name}` (sha256 `{contract.sha256[:12]}`)"))
    duration = (record.finished - record.started).total_seconds() if record.finished else 0.0
    rows.append(("Gate", f"cloudrun-acceptance {VERSION}, {duration:.1f} s"))
    lines += [f"| {name} | {_cell(value)} |" for name, value in rows]
    lines += ["", "## Checks", "", "| Check | Result | Summary |", "|---|---|---|"]
    for result in record.results.values():
        outcome = result.shown_outcome
        summary = result.summary or next(iter(result.message.splitlines()), "")
        lines.append(
            f"| {_cell(result.name)} | {ICONS.get(outcome, '')} {outcome} | {_cell(summary)} |"
        )
    lines += _figures(record)
    lines += _configuration(record)
    lines += _failures(record)
    lines += _not_run(record)
    return "\n".join(lines).rstrip() + "\n"


def _figures(record: RunRecord) -> list[str]:
    initial = {
        key.removeprefix(INITIAL): value
        for result in record.results.values()
        for key, value in result.figures.items()
        if key.startswith(INITIAL)
    }
    lines = []
    if initial:
        lines += [
            "",
            "## Initial metric values",
            "",
            "At the first scrape, before the gate acted.",
            "",
        ]
        lines += ["| Metric | Value |", "|---|---|"]
        lines += [f"| {_cell(name)} | {_cell(value)} |" for name, value in initial.items()]
    with_figures = [
        (result, {k: v for k, v in result.figures.items() if not k.startswith(INITIAL)})
        for result in record.results.values()
        if "[" not in result.nodeid
    ]
    with_figures = [(result, figures) for result, figures in with_figures if figures]
    if with_figures:
        lines += ["", "## Figures"]
    for result, figures in with_figures:
        lines += ["", f"**{result.name}**", "", "| | |", "|---|---|"]
        lines += [f"| {_cell(key)} | {_cell(value)} |" for key, value in figures.items()]
    return lines


def _configuration(record: RunRecord) -> list[str]:
    facts, contract = record.facts, record.contract
    if isinstance(facts, AdminApiError):
        return ["", "## Configuration", "", f"Not read: {facts.summary}"]
    if facts is None:
        return []
    revision = facts.revision
    resources = revision.resources
    lines = ["", "## Configuration", "", "| | |", "|---|---|"]
    if contract is not None and contract.metrics is not None and contract.metrics.enable_env:
        enable = contract.metrics.enable_env
        lines.append(f"| {enable} | `{revision.env.get(enable, '(not set)')}` |")
    for key, title in (
        ("cpu", "CPU"),
        ("memory", "Memory"),
        ("timeout_seconds", "Timeout (s)"),
        ("max_instances", "Max instances"),
        ("min_instances", "Min instances"),
    ):
        if key in resources:
            lines.append(f"| {title} | {resources[key]} |")
    secrets = ", ".join(f"{env} ← `{mount}`" for env, mount in revision.secrets.items()) or "none"
    lines.append(f"| Secrets (name:version; values never read) | {_cell(secrets)} |")
    traffic = ", ".join(str(row).strip() for row in facts.traffic) or "unknown"
    lines.append(f"| Traffic | {_cell(traffic)} |")
    return lines


def _failures(record: RunRecord) -> list[str]:
    """Each failure with its message; errors ("not checked") grouped by their shared message."""
    failing = [r for r in record.results.values() if r.outcome == "failed" or r.inconclusive]
    errors: dict[str, list[CheckResult]] = {}
    for result in record.results.values():
        if result.outcome == "error":
            errors.setdefault(result.message.rstrip(), []).append(result)
    if not failing and not errors:
        return []
    lines = ["", "## Failures"]
    for result in failing:
        lines += [
            "",
            f"### {result.shown_outcome}: {result.name}",
            "",
            "```text",
            result.message.rstrip(),
            "```",
        ]
    for message, results in errors.items():
        title = results[0].name if len(results) == 1 else f"{len(results)} checks"
        lines += ["", f"### error: {title}", ""]
        if len(results) > 1:
            lines += [f"- {result.name}" for result in results] + [""]
        lines += ["```text", message, "```"]
    return lines


def _not_run(record: RunRecord) -> list[str]:
    skipped = [
        r
        for r in record.results.values()
        if r.outcome in {"skipped", "not run"} and not r.inconclusive
    ]
    if not skipped and not record.deselected:
        return []
    lines = ["", "## Not run", ""]
    lines += [f"- {result.name}: {result.message or result.outcome}" for result in skipped]
    lines += [f"- {CheckResult(nodeid).name}: deselected (-k / -m)" for nodeid in record.deselected]
    return lines


def verdict_line(record: RunRecord, paths: list[Path]) -> str:
    """The last word in the terminal: revision, status, counts, where the reports are."""
    where = ", ".join(_shown_path(path) for path in paths) or "no report written"
    return (
        f"cloudrun-acceptance: {record.label} {record.status} ({record.counts()}); reports: {where}"
    )


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


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
        terminalreporter.write_line(
            verdict_line(self.record, paths),
            green=status == "PASSED",
            red=status == "FAILED",
            yellow=status == "INCONCLUSIVE",
        )


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return report.longreprtext
