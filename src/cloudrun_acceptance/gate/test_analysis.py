"""Does the service work, and count its work? (the contract's action, then its repeated call
answered from the cache; grep the counters each names)

Mutating: these checks send the action to the service, so they run only with a test session.
"""

from __future__ import annotations

import pytest

from cloudrun_acceptance.judges import judge_analysis, judge_cache

# Under xdist, run with --dist loadscope: one worker takes this module, so the cache check
# reuses the action's answer instead of sending it again.
pytestmark = [pytest.mark.gate_stage(30), pytest.mark.mutating]


def test_forced_analysis_moves_the_counters(gate, analysis_run, analysis_rules):
    gate.expect(judge_analysis(run=analysis_run, rules=analysis_rules))


def test_cached_analysis_answers_within_budget(gate, cache_run, cache_rules):
    gate.expect(judge_cache(run=cache_run, rules=cache_rules))
