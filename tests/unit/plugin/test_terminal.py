"""Which errors are a prerequisite's dependents: setup errors whose failure says "not checked"."""

from __future__ import annotations

from types import SimpleNamespace

from cloudrun_acceptance.plugin.terminal import is_dependent


def report(when: str, longrepr: str, *, failed: bool = True) -> SimpleNamespace:
    # xdist's controller prints a worker's report with its worker's line first.
    return SimpleNamespace(
        when=when, failed=failed, longrepr=longrepr, longreprtext=f"[gw0] linux\n{longrepr}"
    )


def test_only_a_setup_error_that_says_not_checked_is_a_dependent():
    assert is_dependent(report("setup", "not checked: no exposition; see test_metrics_enabled"))
    assert not is_dependent(report("call", "not checked: the stable revision's families"))
    assert not is_dependent(report("setup", "fixture 'x' not found"))
    assert not is_dependent(report("teardown", "not checked: x"))
    assert not is_dependent(report("setup", "not checked: x", failed=False))
