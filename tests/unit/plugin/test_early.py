"""The early start's plan: which of the analysis steps the built-in checks will ask for, read
from the package and the contract's checks.skip, before any module is collected."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cloudrun_acceptance.config.builtins import checks_using
from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.plugin.early import built_in_wants
from tests.paths import SHIPPED_CONTRACT

ANALYSIS = "test_forced_analysis_moves_the_counters"
CACHE = "test_cached_analysis_answers_within_budget"


def test_the_built_in_checks_that_ask_for_each_step_are_read_from_their_source():
    assert checks_using("analysis_run") == [ANALYSIS]
    assert checks_using("cache_run") == [CACHE]
    assert checks_using("no_such_fixture") == []


@pytest.mark.parametrize(
    ("skipped", "wanted"),
    [
        ((), {"analysis_run", "cache_run"}),
        ((ANALYSIS,), {"analysis_run", "cache_run"}),  # the cached calls need the analysis
        ((CACHE,), {"analysis_run"}),
        ((ANALYSIS, CACHE), set()),
    ],
)
def test_what_the_built_in_checks_will_ask_for(skipped, wanted):
    contract = replace(load_contract(SHIPPED_CONTRACT), skipped_checks=skipped)
    assert built_in_wants(contract) == wanted
