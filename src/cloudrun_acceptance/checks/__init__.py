"""Pure judgements: observations and the contract in, a Verdict out. No I/O happens here."""

from __future__ import annotations

from ..apierrors import ApiError
from ..verdict import Verdict, failed


def api_failure(error: ApiError) -> Verdict:
    """A check that could not read what it judges from a Google API: the API's error, as is."""
    return failed(error.summary, [], error.advice)
