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


def test_the_compare_bench_builds_the_kinds_as_the_fixture_with_max_count():
    from dataclasses import replace

    from bench.compare import CONTRACT, budget_per_side, kinds_of
    from cloudrun_acceptance.config.contract import load_contract

    rules = load_contract(CONTRACT).compare
    assert rules is not None
    assert rules.max_count == 8000
    kinds = kinds_of(replace(rules, max_count=400))
    assert [(kind.name, kind.count) for kind in kinds] == [("health", 400), ("cached call", 400)]
    assert "{test_session}" not in repr(kinds)
    assert budget_per_side(replace(rules, max_count=400)) == 800
    # The older spelling: exchanges per side in all, shared by weight.
    older = kinds_of(replace(rules, count=400))
    assert [(kind.name, kind.count) for kind in older] == [("health", 200), ("cached call", 200)]


def _load(failing_pairs: set[int], pairs: int):
    """A paired load of one kind, the baseline first on even pairs, the candidate failing
    (500) on ``failing_pairs``."""
    from cloudrun_acceptance.model.compare import Endpoint, PairedLoad, Sample

    samples = []
    for pair in range(pairs):
        sides = ("baseline", "candidate") if pair % 2 == 0 else ("candidate", "baseline")
        for side in sides:
            status = 500 if side == "candidate" and pair in failing_pairs else 200
            samples.append(Sample("health", side, len(samples), status, 0.01, pair=pair))
    return PairedLoad(
        Endpoint("stable", "http://b"),
        Endpoint("candidate", "http://c"),
        tuple(samples),
        planned=2 * pairs,
        elapsed=1.0,
        deadline_seconds=60.0,
        concurrency=4,
    )


def test_the_compare_bench_replays_the_errors_e_value_to_its_threshold():
    from bench.compare import CONTRACT, errors_detected_at
    from cloudrun_acceptance.config.contract import load_contract

    rules = load_contract(CONTRACT).compare
    assert rules is not None
    # One kind and the errors share 5%: a threshold of 40; with no baseline failure the
    # Beta mixture's e-value passes it at the candidate's 8th failure (2^9 / 9 = 57, the
    # 7th's 2^8 / 8 = 32), here its exchange of pair 79.
    every_tenth = {pair for pair in range(200) if pair % 10 == 9}
    assert errors_detected_at(_load(every_tenth, 200), rules) == 80
    assert errors_detected_at(_load(set(), 200), rules) is None
