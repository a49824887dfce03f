"""What the report says first: each root cause with its evidence and what to do, then the
checks that did not run, a line per cause.

A root cause is a check that failed or was not decided, or an error of its own. A check whose
fixture said "not checked: ...; see test_x" only follows another's failure: those are counted
on one line under the check they point at, never listed as failures of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.verdict import INCONCLUSIVE_PREFIX
from .advice import advice_markdown, split_advice
from .cells import ICONS, paragraph, text
from .record import CheckResult, RunRecord
from .terminal import NOT_CHECKED

_DEPENDENT = re.compile(
    re.escape(NOT_CHECKED) + r"(?P<detail>.*?)(?:;? see (?P<check>test_\w+))?\.?", re.DOTALL
)

_VERBS = {"inconclusive": "was not decided", "error": "errored", "skipped": "was skipped"}


@dataclass
class Dependents:
    """Checks not run for one reason: its detail, and the check it points at (when found)."""

    detail: str
    results: list[CheckResult]
    cause: CheckResult | None

    def line(self) -> str:
        """``17 checks not run because ❌ metrics enabled failed: ...``, naming each check."""
        count = _count(len(self.results))
        shown = self.cause.shown_outcome if self.cause else ""
        where = f"{self.cause.name} {_VERBS.get(shown, shown)}: " if self.cause else ""
        icon = f"{ICONS.get(shown, '')} " if self.cause else ""
        return (
            f"- {count} not run because {icon}{text(where + self.detail)} ({_names(self.results)})"
        )


def _count(n: int) -> str:
    return f"{n} checks" if n != 1 else "1 check"


def _names(results: list[CheckResult]) -> str:
    """The checks' names; the cases of one parametrized check once, with their cases listed:
    ``metric is exposed with its type: a, b; exposition passes lint``."""
    groups: dict[str, list[str]] = {}
    for result in results:
        label = " · ".join(part for part in (result.words, result.target) if part)
        groups.setdefault(label, []).append(result.param)
    return text(
        "; ".join(
            f"{label}: {', '.join(cases)}" if any(cases) else label
            for label, cases in groups.items()
        )
    )


def _dependent(result: CheckResult) -> re.Match[str] | None:
    if result.outcome != "error":
        return None
    return _DEPENDENT.fullmatch(" ".join(result.message.split()))


def root_causes(record: RunRecord) -> list[CheckResult]:
    """The checks that failed, were not decided, or errored on their own, in run order."""
    return [
        result
        for result in record.results.values()
        if result.outcome == "failed"
        or result.inconclusive
        or (result.outcome == "error" and _dependent(result) is None)
    ]


def dependents(record: RunRecord) -> list[Dependents]:
    """The "not checked" errors, grouped by their reason, each with the check it points at."""
    groups: dict[str, Dependents] = {}
    for result in record.results.values():
        found = _dependent(result)
        if found is None:
            continue
        detail, check = found.group("detail"), found.group("check")
        cause = next(
            (other for other in record.results.values() if check and other.function == check),
            None,
        )
        groups.setdefault(detail, Dependents(detail, [], cause)).results.append(result)
    return list(groups.values())


def orphans(record: RunRecord) -> list[Dependents]:
    """The "not checked" groups whose cause no root cause reports (an unknown URL): a cause
    of their own."""
    causes = root_causes(record)
    return [group for group in dependents(record) if group.cause not in causes]


def causes_markdown(record: RunRecord) -> list[str]:
    """Each root cause: its summary, evidence and what to do. Dependents whose cause shows
    nowhere above (no check reported it) are a root cause themselves."""
    causes, alone = root_causes(record), orphans(record)
    if not causes and not alone:
        return []
    decided = any(result.shown_outcome != "inconclusive" for result in causes) or alone
    lines = ["", "## What failed" if decided else "## What was not decided"]
    for result in causes:
        lines += _cause(result)
    for group in alone:
        lines += ["", f"### {ICONS['error']} not run: {_count(len(group.results))}", ""]
        see = f" (see {group.cause.name})" if group.cause else ""
        lines.append(paragraph(group.detail + see))
        lines += ["", *(f"- {text(result.name)}" for result in group.results)]
    return lines


def _cause(result: CheckResult) -> list[str]:
    shown = result.shown_outcome
    body, advice = split_advice(result.message)
    summary = result.summary or next(iter(body.splitlines()), "")
    lines = [
        "",
        f"### {ICONS.get(shown, '')} {shown}: {text(result.name)}",
        "",
        paragraph(summary),
    ]
    if result.evidence or result.advice:
        lines += _evidence(result.evidence)
        return lines + advice_markdown(result.advice or advice)
    rest = body.splitlines()
    if rest and rest[0].removeprefix(INCONCLUSIVE_PREFIX).strip() in {summary, summary.strip()}:
        rest = rest[1:]
    if any(line.strip() for line in rest):  # a traceback: code, as pytest printed it
        runs = [len(run) for line in rest for run in re.findall("`+", line)]
        fence = "`" * max([3, *(n + 1 for n in runs)])
        lines += ["", f"{fence}text", *rest, fence]
    return lines + advice_markdown(advice)


def _evidence(evidence: list[str]) -> list[str]:
    """The evidence as a list: a line that is indented (a table's row, a body) nests under the
    line above it."""
    lines = [line for item in evidence for line in item.splitlines() if line.strip()]
    if not lines:
        return []
    return [""] + [f"{'  ' if line[0].isspace() else ''}- {paragraph(line)}" for line in lines]


def not_run_markdown(record: RunRecord) -> list[str]:
    """The checks that did not run, a line per reason, each naming the checks it covers."""
    causes = root_causes(record)
    lines = [group.line() for group in dependents(record) if group.cause in causes]
    reasons: dict[tuple[str, str], list[CheckResult]] = {}
    for result in record.results.values():
        if result.outcome in {"skipped", "not run"} and not result.inconclusive:
            reasons.setdefault((result.outcome, result.message), []).append(result)
    for (outcome, reason), results in reasons.items():
        count = _count(len(results))
        if outcome == "not run":
            why = f"the run ended before {'it' if len(results) == 1 else 'them'}"
            lines.append(f"- {count} not run: {why} ({_names(results)})")
        else:
            lines.append(f"- {count} skipped: {text(reason)} ({_names(results)})")
    if record.deselected:
        names = [CheckResult(nodeid) for nodeid in record.deselected]
        lines.append(f"- {_count(len(names))} deselected by -k / -m ({_names(names)})")
    return ["", "## Not run", "", *lines] if lines else []
