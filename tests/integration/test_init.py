"""`cloudrun-acceptance init --example` in an empty folder, then `pytest --sandbox` there: every
check passes. And the wheel carries the files init writes."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from cloudrun_acceptance.model.version import VERSION
from tests.integration.gatekit import UNTAGGED, UNTAGGED_NOT_RUN, compare_skips, not_run
from tests.paths import REPO

CLI = Path(sys.executable).with_name("cloudrun-acceptance")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def test_init_example_then_pytest_sandbox_passes_every_check(tmp_path):
    done = run(str(CLI), "init", "--example", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "wrote .github/workflows/cloudrun-acceptance.yml" in done.stdout
    assert done.stdout.rstrip().endswith(
        "Next:\n  pytest --sandbox\n      the example's checks against its reference service: "
        "every check passes"
    )
    gate = run(sys.executable, "-m", "pytest", "--sandbox", "-p", "no:cacheprovider", cwd=tmp_path)
    assert gate.returncode == 0, gate.stdout[-3000:]
    # Every check but the comparison's, which runs only in the candidate flow (--tag).
    assert "PASSED (42 passed, 0 failed, 0 errors, 6 skipped)" in gate.stdout
    pytest.LineMatcher(gate.stdout.splitlines()).fnmatch_lines(
        compare_skips(UNTAGGED), consecutive=True
    )
    assert gate.stdout.count("SKIPPED [") == 5, gate.stdout[-3000:]
    report = next((tmp_path / "reports").glob("emergence-app-00003-abc-*.md")).read_text()
    assert not_run(report) == [UNTAGGED_NOT_RUN]
    # The built-in checks ran from the package: the repository holds its own files only.
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert [name for name in written if not name.startswith("reports/")] == [
        ".github/workflows/cloudrun-acceptance.yml",
        ".gitignore",
        "env.yaml",
        "pytest.ini",
        "tests/acceptance/contract.yaml",
    ]
    assert "cloudrun_acceptance/gate/test_health.py::test_health_answers PASSED" in run(
        sys.executable, "-m", "pytest", "--sandbox", "-p", "no:cacheprovider", "-v", "-k",
        "health_answers", cwd=tmp_path,
    ).stdout  # fmt: skip
    again = run(str(CLI), "init", "--example", cwd=tmp_path)
    assert again.returncode == 1
    assert again.stderr == (
        # 2 more: the contract and the workflow (env.yaml is kept as it is).
        "cloudrun-acceptance init: pytest.ini exists (and 2 more); init writes nothing over a "
        "file: move it away, or give --force to overwrite.\n"
    )


def test_version_and_help(tmp_path):
    assert run(str(CLI), "--version", cwd=tmp_path).stdout == f"cloudrun-acceptance {VERSION}\n"
    usage = run(str(CLI), "init", "--help", cwd=tmp_path).stdout
    assert "--ci {github,cloudbuild,none}" in usage and "--force" in usage
    assert "--from-url URL" in usage and "--from-service" in usage
    assert "--rescrape-after SECONDS" in usage


def test_the_wheel_carries_the_built_in_checks_and_the_templates(tmp_path):
    built = run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
        "-w", str(tmp_path), str(REPO), cwd=tmp_path,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next(tmp_path.glob("cloudrun_acceptance-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        template = "cloudrun_acceptance/templates/tests/acceptance/contract.yaml"
        assert archive.read(template) == (REPO / "tests/acceptance/contract.yaml").read_bytes()
    checks = {
        f"cloudrun_acceptance/gate/{path.name}"
        for path in (REPO / "src/cloudrun_acceptance/gate").glob("test_*.py")
    }
    expected = checks | {
        "cloudrun_acceptance/gate/__init__.py",
        "cloudrun_acceptance/judges.py",
        "cloudrun_acceptance/templates/pytest.ini",
        "cloudrun_acceptance/templates/env.yaml",
        "cloudrun_acceptance/templates/tests/acceptance/contract.yaml",
        "cloudrun_acceptance/templates/ci/github-actions.yml",
        "cloudrun_acceptance/templates/ci/cloudbuild.yaml",
    }
    assert len(checks) == 9
    assert expected <= names
    assert not [name for name in names if name.startswith("cloudrun_acceptance/templates/tests")
                and not name.endswith("contract.yaml")]  # fmt: skip
    assert not [name for name in names if name.endswith(".pyc")]


def test_a_gate_installed_from_a_git_url_writes_that_url_and_commit(tmp_path):
    """The real path: this repository cloned, pip-installed from its git URL at a commit, and
    that installed gate's init run in another repository."""
    clone = tmp_path / "gate"
    assert run("git", "clone", "--quiet", str(REPO), str(clone), cwd=tmp_path).returncode == 0
    commit = run("git", "rev-parse", "HEAD", cwd=clone).stdout.strip()
    site = tmp_path / "site"
    url = f"git+file://{clone}@{commit}"
    installed = run(
        sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
        "--target", str(site), url, cwd=tmp_path,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr[-2000:]
    service = tmp_path / "service"
    service.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "cloudrun_acceptance.scaffold.cli", "init"],
        cwd=service,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    requirement = f"cloudrun-acceptance @ git+file://{clone}@{commit}"
    assert (
        f"gate  {requirement} (installed from file://{clone} at commit {commit} (a file:// URL, "
        "which only this machine can reach))"
    ) in done.stdout
    workflow = yaml.safe_load((service / ".github/workflows/cloudrun-acceptance.yml").read_text())
    assert workflow["env"]["GATE_PACKAGE"] == requirement
