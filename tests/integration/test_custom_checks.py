"""A team's own checks, written as docs/how-to/custom-checks.md shows them, run with the
gate's: the same fixtures, the same outcomes, the same terminal lines, JUnit file and report."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.config.envfile import load_env_file
from cloudrun_acceptance.sandbox.launch import start_for_contract
from tests.integration.gatekit import (
    LINT,
    UNTAGGED,
    UNTAGGED_NOT_RUN,
    compare_skips,
    not_run,
    run_gate,
)
from tests.paths import REPO

# The worked example of docs/how-to/custom-checks.md, word for word (test_the_docs_show_this_module
# checks it): it fits any service.
EXAMPLE = '''\
"""Our own checks: the gate runs them with its own, against the same revision."""

from cloudrun_acceptance import failed, passed


def test_health_answers_the_contracts_status(ready_service, contract):
    answer = ready_service.get(contract.health_path)
    assert answer.status_code == contract.health.status


def test_an_unknown_path_answers_404(gate, ready_service):
    answer = ready_service.get("/cloudrun-acceptance/no-such-path")
    if answer.status_code == 404:
        figures = {"404 answer (s)": f"{answer.elapsed:.3f}"}
        gate.expect(passed("an unknown path answers 404", figures=figures))
    else:
        gate.expect(
            failed(
                f"an unknown path answers {answer.status_code}, not 404",
                evidence=[answer.evidence()],
                advice="check that no catch-all route answers every path",
            )
        )


def test_health_is_a_teapot(ready_service, contract):
    # Fails on purpose: the service answers its health path with 200.
    status = ready_service.get(contract.health_path).status_code
    assert status == 418
'''

# The page's judgement reused, and the contract's lines that leave the built-in one out.
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
HEALTHY = "test_health_answers_the_contracts_status"
NAMES_REVISION = "test_an_unknown_path_answers_404"
TEAPOT = "test_health_is_a_teapot"


def only(directory: Path, pattern: str) -> Path:
    found = sorted(directory.glob(pattern))
    assert len(found) == 1, found
    return found[0]


PAGE = REPO / "docs/how-to/custom-checks.md"


def test_the_docs_show_this_module():
    assert f"```python\n{EXAMPLE}```" in PAGE.read_text()


def test_the_docs_show_the_reused_judgement_and_the_skip():
    page = PAGE.read_text()
    section = page[page.index("**Reusing a built-in judgement.**") :]
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
    assert figure.get("name") == "cloudrun_acceptance.404_answer_s"
    assert re.fullmatch(r"\d+\.\d{3}", figure.get("value", ""))
    failure = cases[TEAPOT].find("failure")
    assert failure is not None
    assert "assert 200 == 418" in failure.get("message", "")
    assert "assert status == 418" in (failure.text or "")

    report = only(gate_dir.path / "reports", "*.md").read_text()
    passed = report[report.index('<details markdown="1">') : report.index("</details>")]
    rows = {line.split(" | ")[0].removeprefix("| "): line for line in passed.splitlines()}
    assert rows["health answers"].startswith("| health answers | health answered 200")
    assert (
        rows["health answers the contracts status"] == "| health answers the contracts status |  |"
    )
    assert (
        rows["an unknown path answers 404"]
        == "| an unknown path answers 404 | an unknown path answers 404 |"
    )
    assert "**an unknown path answers 404**" in report
    assert re.search(r"\| 404 answer \(s\) \| \d+\.\d{3} \|", report)
    # The failure first, with the assertion, not the traceback's first line (the fixture's
    # repr), then its traceback.
    assert report.splitlines()[2:9] == [
        "**FAILED** ❌: 44 passed, 1 failed, 0 errors, 6 skipped",
        "",
        "## What failed",
        "",
        "### ❌ failed: health is a teapot",
        "",
        "assert 200 == 418",
    ]
    assert "health is a teapot" not in passed
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


def test_the_example_fits_a_service_nobody_here_wrote(gate_dir, tmp_path):
    """The shop (tests/fixtures/shop): a text/plain health at /healthz, paths of its own. The
    docs' module runs on it unchanged: two checks pass, the teapot fails."""
    shop = REPO / "tests/fixtures/shop"
    source = tmp_path / "shop"
    shutil.copytree(shop, source)
    contract = REPO / "tests/fixtures/shop-contract.yaml"
    deployed = start_for_contract(
        load_contract(contract), load_env_file(source / "env.yaml"), source=source
    )
    try:
        shutil.copy(contract, gate_dir.path / "tests/acceptance/contract.yaml")
        shutil.copy(source / "env.yaml", gate_dir.path / "env.yaml")
        (gate_dir.path / MODULE).write_text(EXAMPLE)
        result = gate_dir.runpytest(
            f"--service-url={deployed.service_url}", MODULE, "-p", "no:cacheprovider"
        )
    finally:
        deployed.stop()
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["E       assert 200 == 418", f"FAILED {MODULE}::{TEAPOT}*"])
