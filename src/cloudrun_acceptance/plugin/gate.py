"""Turning a Verdict into a pytest outcome, and keeping it for the report."""

from __future__ import annotations

import pytest

from ..model.verdict import Verdict, failure_message
from ..report.junit import case_properties

VERDICT_KEY = pytest.StashKey[Verdict]()


class Gate:
    """The ``gate`` fixture: ``gate.expect(verdict)`` passes, fails or skips the check."""

    def __init__(self, item: pytest.Item, inconclusive: str) -> None:
        self._item = item
        self._inconclusive = inconclusive

    def expect(self, verdict: Verdict) -> None:
        """Record the verdict; fail with its message unless it passed.

        An inconclusive verdict fails, or skips with ``--inconclusive=skip``.
        """
        self._item.stash[VERDICT_KEY] = verdict
        # The figures as the testcase's JUnit properties, for the tools that read them (the
        # record reads them whole from the verdict: see pytest_runtest_makereport).
        self._item.user_properties.extend(case_properties(verdict.figures))
        if verdict.status == "passed":
            return
        if verdict.status == "inconclusive" and self._inconclusive == "skip":
            pytest.skip(failure_message(verdict))
        pytest.fail(failure_message(verdict), pytrace=False)
