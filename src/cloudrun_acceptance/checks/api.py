"""The verdict of a check whose input a Google API could not give."""

from __future__ import annotations

from ..model.errors import ApiError
from ..model.verdict import Verdict, failed


def api_failure(error: ApiError) -> Verdict:
    """A check that could not read what it judges from a Google API: the API's error, as is."""
    return failed(error.summary, evidence=error.evidence, advice=error.advice)
