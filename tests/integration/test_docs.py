"""The documentation site builds as `make docs` builds it, and the README's first run says what
`make demo` prints."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.gatekit import run_gate
from tests.paths import REPO

MKDOCS = Path(sys.executable).with_name("mkdocs")


@pytest.mark.skipif(
    not MKDOCS.exists() and shutil.which("mkdocs") is None,
    reason="mkdocs is not installed: pip install -e '.[dev]' installs mkdocs-material",
)
def test_the_site_builds_strictly_with_every_reference_page(tmp_path):
    site = tmp_path / "site"
    result = subprocess.run(
        [
            str(MKDOCS if MKDOCS.exists() else "mkdocs"),
            "build",
            "--strict",
            "--site-dir",
            str(site),
        ],
        cwd=REPO,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, (
        "mkdocs build --strict failed; its warnings name the page and the broken link or "
        f"missing file:\n{result.stderr}"
    )
    for page in (
        "options",
        "ini",
        "environment",
        "contract",
        "fixtures",
        "faults",
        "exit-codes",
        "cli",
    ):
        assert (site / "reference" / page / "index.html").exists(), page
    assert (site / "ci" / "github-actions.yml").exists()
    # The example reports' fold of passing checks is a table on the site (md_in_html renders
    # inside a <details markdown="1">), not the markdown's pipes as text.
    for page in ("example-report", "example-report-candidate"):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        fold = html[html.index("<details") : html.index("</details>")]
        assert "<table>" in fold and "|---|" not in fold, f"{page}: {fold[:300]}"


def test_the_readmes_first_run_line_is_what_the_sandbox_run_prints(gate_dir):
    readme = (REPO / "README.md").read_text()
    stated = re.search(r"^cloudrun-acceptance: (\S+) PASSED \(([^)]*)\).*$", readme, re.MULTILINE)
    assert stated, "the README shows the last line of `make demo`"
    run = run_gate(gate_dir, "--sandbox")
    assert run.result.ret == 0
    verdict = f"cloudrun-acceptance: {stated.group(1)} PASSED"
    printed = next(line for line in run.result.outlines if line.startswith(verdict))
    # The same line but for the time in the report's name.
    when = re.compile(r"\d{8}T\d{6}Z")
    assert when.sub("TIME", printed) == when.sub("TIME", stated.group(0))
    for page in ("tutorial.md",):
        assert stated.group(0).split("; reports:")[0] in (REPO / "docs" / page).read_text()
    skipped = re.search(r"(\d+) skipped", stated.group(2))
    assert skipped and f"The {skipped.group(1)} skipped are" in readme
