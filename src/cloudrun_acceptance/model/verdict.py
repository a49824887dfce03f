"""The outcome of one check: status, summary, evidence, advice, and figures for the report."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

Status = Literal["passed", "failed", "inconclusive"]
# Figures under this prefix are values read before the gate acted: the report gives them a section.
INITIAL = "initial "
# How a message marks its advice, and a failing check's message an inconclusive verdict: the
# reports find them by these.
ADVICE_PREFIX = "What to do: "
INCONCLUSIVE_PREFIX = "INCONCLUSIVE: "


def indented(evidence: Iterable[str]) -> list[str]:
    """The evidence as a message shows it: each item indented, its own lines with it."""
    return ["  " + line.replace("\n", "\n  ") for line in evidence]


@dataclass(frozen=True)
class Verdict:
    """What a check concluded, written for the operator reading a JUnit file at 2 a.m."""

    status: Status
    summary: str
    evidence: tuple[str, ...] = ()
    advice: str = ""
    figures: Mapping[str, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """Summary, then indented evidence, then what to do."""
        lines = [self.summary, *indented(self.evidence)]
        if self.advice:
            lines.append(f"{ADVICE_PREFIX}{self.advice}")
        return "\n".join(lines)


def failure_message(verdict: Verdict) -> str:
    """The message a check that does not pass raises: an inconclusive verdict says so first."""
    inconclusive = verdict.status == "inconclusive"
    return f"{INCONCLUSIVE_PREFIX}{verdict.message}" if inconclusive else verdict.message


# The constructors take everything after the summary by keyword: evidence, advice and figures
# are all optional and two of them are strings, so a positional call could swap them silently.


def passed(
    summary: str, *, figures: Mapping[str, str] | None = None, evidence: Iterable[str] = ()
) -> Verdict:
    """A check that holds; the summary and figures go to the report."""
    return Verdict("passed", summary, tuple(evidence), figures=dict(figures or {}))


def failed(
    summary: str,
    *,
    evidence: Iterable[str] = (),
    advice: str = "",
    figures: Mapping[str, str] | None = None,
) -> Verdict:
    """A check that does not hold: what was expected, what was seen, what to do."""
    return Verdict("failed", summary, tuple(evidence), advice, dict(figures or {}))


def inconclusive(
    summary: str,
    *,
    evidence: Iterable[str] = (),
    advice: str = "",
    figures: Mapping[str, str] | None = None,
) -> Verdict:
    """A check that could not be decided; ``--inconclusive`` says whether the gate fails."""
    return Verdict("inconclusive", summary, tuple(evidence), advice, dict(figures or {}))
