"""A team's own checks, written as README.md's "Writing your own checks" shows them, run with the
gate's: the same fixtures, the same outcomes, the same terminal lines, JUnit file and report."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.integration.gatekit import (
    LINT,
    UNTAGGED,
    UNTAGGED_NOT_RUN,
    compare_skips,
    not_run,
    run_gate,
)
from tests.paths import REPO

# The README's worked example, word for word (test_the_readme_shows_this_module checks it).
EXAMPLE = '''\
"""Our own checks: the gate runs them with its own, against the same revision."""

import pytest

from cloudrun_acceptance import failed, passed


def test_health_says_healthy(ready_service):
    answer = ready_service.get("/api/health")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["status"] == "healthy"


def test_health_names_the_revision_under_check(gate, ready_service, target):
    if target.revision is None:
        pytest.skip("the revision is known only with --service (or --sandbox)")
    answer = ready_service.get("/api/health")
    named = answer.json().get("revision")
    if named == target.revision:
        figures = {"health (s)": f"{answer.elapsed:.3f}"}
        gate.expect(passed(f"/api/health names {named}", figures=figures))
    else:
        gate.expect(
            failed(
                f"/api/health names {named!r}, not the revision under check {target.revision}",
                evidence=[answer.evidence()],
                advice="check that traffic reaches the revision you deployed",
            )
        )


def test_health_is_a_teapot(ready_service):
    # Fails on purpose: the service answers 200.
    status = ready_service.get("/api/health").status_code
    assert status == 418
'''

# The README's judgement reused, and the contract's lines that leave the built-in one out.
STRICT = '''\
"""Stricter than the gate: every lint finding fails, not only those on the contract's metrics."""

from dataclasses import replace

from cloudrun_acceptance.judges import judge_lint


def test_exposition_passes_every_lint_rule(gate, exposition, metrics_rules):
    strict = replace(metrics_rules, lint_fails_on="all")
    gate.expect(judge_lint(snapshot=exposition, rules=strict))
'''
SKIP_LINT = """\
checks:
  skip: [test_exposition_passes_lint]   # shown as skipped: "the contract skips this built-in check"
"""

MODULE = "tests/acceptance/test_my_checks.py"
HEALTHY = "test_health_says_healthy"
NAMES_REVISION = "test_health_names_the_revision_under_check"
TEAPOT = "test_health_is_a_teapot"


def only(directory: Path, pattern: str) -> Path:
    found = sorted(directory.glob(pattern))
    assert len(found) == 1, found
    return found[0]


def test_the_readme_shows_this_module():
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("## Writing your own checks") :]
    assert f"```python\n{EXAMPLE}```" in section


def test_the_readme_shows_the_reused_judgement_and_the_skip():
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("**Reusing a built-in judgement.**") :]
    assert f"```python\n{STRICT}```" in section
    assert f"```yaml\n{SKIP_LINT}```" in section


def test_a_reused_judgement_replaces_the_built_in_check_it_skips(gate_dir):
    (gate_dir.path / "tests/acceptance/test_strict_lint.py").write_text(STRICT)
    contract = gate_dir.path / "tests/acceptance/contract.yaml"
    contract.write_text(contract.read_text() + "\n" + SKIP_LINT)
    run = run_gate(gate_dir, "--sandbox", "-rs")
    assert run.result.ret == 0
    assert run.outcomes["test_exposition_passes_every_lint_rule"] == "passed"
    assert run.outcomes[LINT] == "skipped"
    run.result.stdout.fnmatch_lines(
        [
            "SKIPPED [[]1[]] *cloudrun_acceptance/gate/test_metrics.py: the contract skips this "
            "built-in check (checks.skip)",
            "cloudrun-acceptance: emergence-app-00003-abc PASSED (42 passed, 0 failed, 0 errors, "
            "7 skipped)*",
        ]
    )


def test_own_checks_run_and_report_like_the_gates(gate_dir):
    (gate_dir.path / MODULE).write_text(EXAMPLE)
    run = run_gate(gate_dir, "--sandbox")

    assert run.result.ret == 1
    run.expect(failed={TEAPOT})
    run.result.stdout.fnmatch_lines(
        [
            f"{MODULE} ..F*",
            f"*_ {TEAPOT} _*",
            ">       assert status == 418",
            "E       assert 200 == 418",
            f"{MODULE}:*: AssertionError",
            "*- generated xml file: */reports/emergence-app-00003-abc-*Z.xml -*",
            # The comparison's checks, outside the candidate flow (run.expect counts them).
            *compare_skips(UNTAGGED),
            f"FAILED {MODULE}::{TEAPOT}*",
            "cloudrun-acceptance: emergence-app-00003-abc FAILED (44 passed, 1 failed, 0 errors, "
            "6 skipped); reports: reports/emergence-app-00003-abc-*Z.md",
        ]
    )

    suite = ET.parse(only(gate_dir.path / "reports", "*.xml")).getroot().find("testsuite")
    assert suite is not None
    cases = {
        case.get("name"): case
        for case in suite.iter("testcase")
        if case.get("classname") == "tests.acceptance.test_my_checks"
    }
    assert set(cases) == {HEALTHY, NAMES_REVISION, TEAPOT}
    assert list(cases[HEALTHY]) == []
    # A check's figures are its testcase's properties, as the gate's own checks' are.
    (properties,) = list(cases[NAMES_REVISION])
    assert properties.tag == "properties"
    (figure,) = list(properties)
    assert figure.get("name") == "cloudrun_acceptance.health_s"
    assert re.fullmatch(r"\d+\.\d{3}", figure.get("value", ""))
    failure = cases[TEAPOT].find("failure")
    assert failure is not None
    assert "assert 200 == 418" in failure.get("message", "")
    assert "assert status == 418" in (failure.text or "")

    report = only(gate_dir.path / "reports", "*.md").read_text()
    checks = report[report.index("## Checks") : report.index("\n## ", report.index("## Checks"))]
    rows = {line.split(" | ")[0].removeprefix("| "): line for line in checks.splitlines()}
    assert rows["health answers"].startswith("| health answers | ✅ passed | health answered 200")
    assert rows["health says healthy"] == "| health says healthy | ✅ passed |  |"
    assert (
        rows["health names the revision under check"]
        == "| health names the revision under check | ✅ passed | /api/health names "
        "emergence-app-00003-abc |"
    )
    # The assertion, not the traceback's first line (the fixture's repr).
    assert rows["health is a teapot"] == "| health is a teapot | ❌ failed | assert 200 == 418 |"
    assert "**health names the revision under check**" in report
    assert re.search(r"\| health \(s\) \| \d+\.\d{3} \|", report)
    assert "### failed: health is a teapot" in report
    assert "| Checks | 44 passed, 1 failed, 0 errors, 6 skipped |" in report
    assert not_run(report) == [UNTAGGED_NOT_RUN]


def test_fixtures_are_listed_with_their_docstrings_without_a_target(gate_dir):
    result = gate_dir.runpytest("--fixtures", "-p", "no:cacheprovider")

    assert result.ret == 0, result.stdout.str()
    # pytest lists the fixtures in no fixed order: each one is matched with its docstring.
    for header, docstring in (
        (
            "service [[]session scope[]] -- *fixtures.py:*",
            "    The HTTP client of the service under test (a ``ServiceClient``), without waiting for a",
        ),
        (
            "ready_service [[]session scope[]] -- *fixtures.py:*",
            "    ``service``, once the service has answered its health path: the client a team's own",
        ),
        (
            "gate -- *fixtures.py:*",
            "    ``gate.expect(verdict)`` turns a verdict into the check's outcome and the report's row:",
        ),
        (
            "deployment [[]session scope[]] -- *fixtures_deployment.py:*",
            "    The deployed service (a ``ServiceFacts``: ``.traffic``, ``.uri``) and the revision under",
        ),
    ):
        result.stdout.fnmatch_lines([header, docstring], consecutive=True)
    assert "no service to check" not in result.stdout.str() + result.stderr.str()


def test_the_readme_examples_import_only_the_public_surface():
    """What a team's check may import: cloudrun_acceptance.__all__ and the judgements."""
    import ast

    import cloudrun_acceptance
    from cloudrun_acceptance import judges

    public = {
        "cloudrun_acceptance": cloudrun_acceptance.__all__,
        "cloudrun_acceptance.judges": judges.__all__,
    }
    imported = [
        (node.module, alias.name)
        for example in (EXAMPLE, STRICT)
        for node in ast.walk(ast.parse(example))
        if isinstance(node, ast.ImportFrom)
        and (node.module or "").startswith("cloudrun_acceptance")
        for alias in node.names
    ]
    assert imported == [
        ("cloudrun_acceptance", "failed"),
        ("cloudrun_acceptance", "passed"),
        ("cloudrun_acceptance.judges", "judge_lint"),
    ]
    assert all(name in public[module] for module, name in imported)
