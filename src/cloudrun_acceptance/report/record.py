"""The record of one gate run: each check's outcome, and the gate's status rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..model.contract import Contract
from ..model.errors import AdminApiError
from ..model.release import ReleaseOutcome
from ..model.service import ServiceFacts
from ..model.target import Target


@dataclass
class CheckResult:
    """One check's outcome, summary, evidence, advice and figures.

    ``target``: the target's name, in a run of several (its test ids end with it)."""

    nodeid: str
    outcome: str = "not run"
    summary: str = ""
    message: str = ""
    figures: dict[str, str] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)
    advice: str = ""
    inconclusive: bool = False
    duration: float = 0.0
    target: str = ""

    @property
    def function(self) -> str:
        """The check's function: ``test_metric_is_exposed_with_its_type``."""
        return self.nodeid.split("::")[-1].partition("[")[0]

    @property
    def param(self) -> str:
        """The case of a parametrized check (``cache_size``), without the target's name."""
        param = self.nodeid.split("::")[-1].partition("[")[2].removesuffix("]")
        if self.target and param.endswith(self.target):
            param = param.removesuffix(self.target).removesuffix("-")
        return param

    @property
    def words(self) -> str:
        """The check's function as words: ``metric is exposed with its type``."""
        return self.function.removeprefix("test_").replace("_", " ")

    @property
    def name(self) -> str:
        """The test id as a sentence: ``metric is exposed with its type · cache_size``, and
        `` · europe-west1`` after it in a run of several targets."""
        return " · ".join(part for part in (self.words, self.param, self.target) if part)

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
    # Set when only the pre-flight ran (no target): the source tree's folder.
    preflight_of: str = ""
    release: ReleaseOutcome | None = None

    def count(self, outcome: str) -> int:
        """How many checks ended with ``outcome`` (as shown)."""
        return sum(1 for result in self.results.values() if result.shown_outcome == outcome)

    @property
    def status(self) -> str:
        """PASSED, FAILED or INCONCLUSIVE: the gate's verdict on the revision (a traffic change
        that was asked for and failed fails the gate too)."""
        if self.release is not None and self.release.failed:
            return "FAILED"
        if self.count("failed") or self.count("error") or self.count("not run") or self.interrupted:
            return "FAILED"
        if self.count("inconclusive"):
            return "INCONCLUSIVE"
        # Exit 1 is the failed checks counted above (another target's, in a run of several).
        if self.exitstatus not in {0, 1, 5} or not self.count("passed"):
            return "FAILED"
        return "PASSED"

    @property
    def label(self) -> str:
        """What was checked, in one word: the revision, else the host."""
        if self.target is None:
            return f"pre-flight of {self.preflight_of}" if self.preflight_of else "no target"
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
