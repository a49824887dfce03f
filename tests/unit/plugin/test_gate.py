"""The gate fixture turns a verdict into pass, fail, or (with --inconclusive=skip) skip."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

CHECKS = """
from cloudrun_acceptance.model.verdict import failed, inconclusive, passed
from cloudrun_acceptance.plugin.gate import Gate


def test_pass(request):
    Gate(request.node, "fail").expect(passed("fine"))


def test_fail(request):
    Gate(request.node, "fail").expect(failed("broken", evidence=["seen"], advice="fix it."))


def test_unsure_fails(request):
    Gate(request.node, "fail").expect(inconclusive("could not tell"))


def test_unsure_skips(request):
    Gate(request.node, "skip").expect(inconclusive("could not tell"))
"""


def test_verdicts_become_outcomes_with_their_message(pytester: pytest.Pytester):
    pytester.makepyfile(CHECKS)
    result = pytester.runpytest("-rs", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2, skipped=1)
    result.stdout.fnmatch_lines(
        [
            "broken",
            "  seen",
            "What to do: fix it.",
            "INCONCLUSIVE: could not tell",
            "SKIPPED * INCONCLUSIVE: could not tell",
        ]
    )


def test_every_module_of_the_plugins_pytest_plugins_opts_out_of_assertion_rewriting():
    """hooks.py imports some of them before pytest registers them from ``pytest_plugins``;
    pytest 8 then warns, once per module and run, that it could not rewrite their assertions
    (an error under ``filterwarnings = error``) unless the module says PYTEST_DONT_REWRITE."""
    import importlib

    from _pytest.assertion.rewrite import AssertionRewriter

    from cloudrun_acceptance.plugin import hooks

    for name in hooks.pytest_plugins:
        module = importlib.import_module(name)
        assert AssertionRewriter.is_rewrite_disabled(module.__doc__ or ""), name
