"""`make bench` itself: it runs, prints each figure with its target, and fails only when asked."""

from __future__ import annotations

import re
import subprocess
import sys

from bench.__main__ import exit_code
from bench.common import Figure
from tests.paths import REPO


def bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bench", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_a_missed_target_is_reported_and_fails_only_under_strict(capsys):
    figures = [
        Figure("b", "too slow", "2 s", "<= 1 s", False),
        Figure("b", "reported", "3", "reported", None),
    ]
    said = "1 target(s) missed; bench/RESULTS.md says why.\n"
    assert exit_code(figures, strict=False) == 0
    assert capsys.readouterr().err == said
    assert exit_code(figures, strict=True) == 1
    assert capsys.readouterr().err == said
    assert exit_code(figures[1:], strict=True) == 0
    assert capsys.readouterr().err == ""


def test_the_load_bench_runs_and_prints_each_figure_with_its_target():
    done = bench("load", "--strict")
    assert done.returncode == 0, done.stderr
    assert re.search(
        r"^ yes  load +forced analyses per run +1  \(target exactly 1\)$", done.stdout, re.M
    ), done.stdout
    assert re.search(r"^ yes  load +cache-hit calls per run +3  \(target <= 3", done.stdout, re.M)


def test_an_unknown_benchmark_is_named():
    done = bench("nope")
    assert done.returncode == 2
    assert "unknown benchmark 'nope'; choose from gate_vs_manual, overhead" in done.stderr


def test_soak_counts_failures_and_errors_from_a_junit_file(tmp_path):
    from bench.soak import failures

    junit = tmp_path / "run.xml"
    junit.write_text(
        '<testsuites><testsuite name="pytest">'
        '<testcase classname="tests.integration.test_a" name="test_ok"/>'
        '<testcase classname="tests.integration.test_a" name="test_flaky"><failure message="x"/></testcase>'
        '<testcase classname="tests.integration.test_b" name="test_setup"><error message="y"/></testcase>'
        '<testcase classname="tests.integration.test_b" name="test_skip"><skipped/></testcase>'
        "</testsuite></testsuites>"
    )
    assert failures(junit) == [
        "tests.integration.test_a::test_flaky",
        "tests.integration.test_b::test_setup",
    ]


def test_the_compare_bench_builds_the_kinds_as_the_fixture_and_knows_the_errors_tests_power():
    from dataclasses import replace

    from bench.compare import CONTRACT, errors_power, kinds_of
    from cloudrun_acceptance.config.contract import load_contract

    rules = load_contract(CONTRACT).compare
    assert rules is not None
    kinds = kinds_of(replace(rules, count=400))
    assert [(kind.name, kind.count) for kind in kinds] == [("health", 200), ("cached call", 200)]
    assert "{test_session}" not in repr(kinds)
    need, power = errors_power(400, 0.95)
    assert need == 5
    assert 0.90 < power < 0.91
