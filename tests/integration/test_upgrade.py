"""A repository adopted at an earlier version (tests/fixtures/adopted: as that version's
`init --example` wrote it, with a check of the team's own) upgrades with one command and
passes: `cloudrun-acceptance upgrade`, then `pytest --sandbox` and `pytest --service-url`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cloudrun_acceptance.model.version import VERSION
from tests.paths import REPO

CLI = Path(sys.executable).with_name("cloudrun-acceptance")
ADOPTED = REPO / "tests/fixtures/adopted"
REPOSITORIES = sorted(path.name for path in ADOPTED.iterdir() if path.is_dir())
# The repositories of an init that copied the checks (0.1): the ones there is work for.
VERSIONS = [name for name in REPOSITORIES if name.startswith("0.1.")]
OWN_CHECK = "tests/acceptance/test_our_checks.py::test_health_names_the_revision_under_check"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def gate(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-v", *args, cwd=repo)


def tree(repo: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(repo)): path.read_bytes()
        for path in sorted(repo.rglob("*"))
        if path.is_file() and "reports" not in path.parts and "__pycache__" not in path.parts
    }


@pytest.fixture(params=VERSIONS)
def adopted(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    repo = tmp_path / "service"
    shutil.copytree(ADOPTED / request.param, repo)
    return repo


def test_there_is_a_repository_of_each_earlier_init():
    assert REPOSITORIES == ["0.1.0-58ed70b", "0.1.0-76d86c7", "0.2.0"]


def test_a_repository_of_this_versions_init_has_nothing_to_upgrade_and_passes(tmp_path):
    """0.2.0's init --example, with the team's check: what a later version upgrades from."""
    repo = tmp_path / "service"
    shutil.copytree(ADOPTED / "0.2.0", repo)
    before = tree(repo)
    checked = run(str(CLI), "upgrade", "--check", cwd=repo)
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.splitlines() == [
        "keeps        tests/acceptance/test_our_checks.py: your own checks: the gate runs them "
        "as before",
        f"Nothing to change: . is written for cloudrun-acceptance {VERSION}.",
    ]
    assert tree(repo) == before
    sandboxed = gate(repo, "--sandbox")
    assert sandboxed.returncode == 0, sandboxed.stdout[-3000:]
    assert f"{OWN_CHECK} PASSED" in sandboxed.stdout
    assert "PASSED (43 passed, 0 failed, 0 errors, " in sandboxed.stdout


def test_before_the_upgrade_the_gate_names_the_command(adopted):
    result = gate(adopted, "--sandbox")
    assert result.returncode == 4, result.stdout[-2000:]
    assert (
        f"ERROR: {adopted}/tests/acceptance/contract.yaml: version: missing: the format of "
        "cloudrun-acceptance 0.1, whose init copied the built-in checks into the repository; "
        f"this gate ({VERSION}) reads version 2 and brings its checks itself; run "
        f"`cloudrun-acceptance upgrade --contract {adopted}/tests/acceptance/contract.yaml` in "
        "the repository (it says what it changes: it removes the copies it recognises as "
        "unedited, keeps edited ones and your own checks, and writes version: 2), then run "
        "again."
    ) in result.stderr


def test_check_changes_nothing_and_says_what_would(adopted):
    before = tree(adopted)
    checked = run(str(CLI), "upgrade", "--check", cwd=adopted)
    assert checked.returncode == 1, checked.stderr
    assert tree(adopted) == before
    lines = checked.stdout.splitlines()
    copies = sorted(name for name in before if name.startswith("tests/acceptance/test_"))
    removed = [line.split(":")[0] for line in lines if line.startswith("would remove ")]
    assert removed == [
        f"would remove {name}" for name in copies if not name.endswith("test_our_checks.py")
    ] + ["would remove conftest.py"]
    assert "would write  pytest.ini: unedited, as init 0.1.0 (58ed70b, 2026-11-26) wrote it: " in (
        checked.stdout
    )
    assert (
        "would write  tests/acceptance/contract.yaml: version: 2 added (the format this gate "
        "reads); nothing else changes"
    ) in lines
    assert (
        "keeps        tests/acceptance/test_our_checks.py: your own checks: the gate runs them "
        "as before"
    ) in lines
    assert lines[-1] == f"{len(removed) + 2} file(s) to change: run cloudrun-acceptance upgrade ."


def test_the_upgraded_repository_passes_and_runs_the_teams_check(adopted, running_sandbox):
    before = tree(adopted)
    done = run(str(CLI), "upgrade", cwd=adopted)
    assert done.returncode == 0, done.stderr
    after = tree(adopted)
    assert sorted(after) == [
        ".github/workflows/cloudrun-acceptance.yml",
        *([".gitignore"] if ".gitignore" in before else []),
        "env.yaml",
        "pytest.ini",
        "tests/acceptance/contract.yaml",
        "tests/acceptance/test_our_checks.py",
    ]
    assert (
        after["tests/acceptance/test_our_checks.py"]
        == (before["tests/acceptance/test_our_checks.py"])
    )
    assert after["pytest.ini"] == (REPO / "pytest.ini").read_bytes()
    # The contract's text is kept, comments and all, with its version added.
    assert (
        after["tests/acceptance/contract.yaml"]
        .decode()
        .replace("version: 2  # the contract's format, which the gate checks\n\n", "", 1)
        == before["tests/acceptance/contract.yaml"].decode()
    )
    # A second run finds nothing to change.
    again = run(str(CLI), "upgrade", cwd=adopted)
    assert again.returncode == 0
    assert again.stdout.splitlines()[-1] == (
        f"Nothing to change: . is written for cloudrun-acceptance {VERSION}."
    )
    assert tree(adopted) == after

    sandboxed = gate(adopted, "--sandbox")
    assert sandboxed.returncode == 0, sandboxed.stdout[-3000:]
    assert f"{OWN_CHECK} PASSED" in sandboxed.stdout
    assert "cloudrun_acceptance/gate/test_health.py::test_health_answers PASSED" in (
        sandboxed.stdout
    )
    assert "PASSED (43 passed, 0 failed, 0 errors, " in sandboxed.stdout

    by_url = gate(adopted, f"--service-url={running_sandbox.service_url}")
    assert by_url.returncode == 0, by_url.stdout[-3000:]
    # The revision is not known from a URL alone: the team's own check says so and skips.
    assert f"{OWN_CHECK} SKIPPED" in by_url.stdout
    assert "cloudrun_acceptance/gate/test_metrics.py::test_metrics_enabled PASSED" in (
        by_url.stdout
    )


def test_an_edited_copy_is_kept_with_what_to_do_until_it_is_moved(adopted):
    edited = adopted / "tests/acceptance/test_health.py"
    original = edited.read_text()
    edited.write_text(original + "\n\ndef test_health_is_quick(ready_service):\n    pass\n")
    done = run(str(CLI), "upgrade", cwd=adopted)
    assert done.returncode == 1, done.stderr  # done, but for the copy the team must move
    assert edited.exists()
    assert not (adopted / "tests/acceptance/test_metrics.py").exists()
    (line,) = [line for line in done.stdout.splitlines() if "test_health.py" in line]
    assert line.startswith(
        "kept    tests/acceptance/test_health.py: edited since init wrote it (it matches none of "
    )
    # A check of the same name as a built-in one would run twice (today's name; the first
    # init's copy named it test_health_answers_200_with_json).
    twice = "def test_health_answers(" in original
    assert ("test_health_answers would run twice (the package runs it too)" in line) is twice
    assert line.endswith(
        "it imports cloudrun_acceptance.checks.*, whose judgements take keyword arguments now, "
        "so its checks will fail with a TypeError. Move what your team added into a module of "
        "its own that imports cloudrun_acceptance.judges, then delete "
        "tests/acceptance/test_health.py"
    )
    assert done.stdout.splitlines()[-1] == (
        "Left: 1 edited copy to move by hand (above); until then the gate runs them, and they fail."
    )
    again = run(str(CLI), "upgrade", "--check", cwd=adopted)
    assert again.returncode == 1
    assert again.stdout.splitlines()[-1] == (
        "Nothing else to change; 1 edited copy to move by hand (above), then run "
        "cloudrun-acceptance upgrade . again."
    )
    edited.unlink()
    assert run(str(CLI), "upgrade", "--check", cwd=adopted).returncode == 0


def test_a_contract_moved_elsewhere_is_found_and_the_copies_still_removed(adopted):
    (adopted / "deploy").mkdir()
    (adopted / "tests/acceptance/contract.yaml").rename(adopted / "deploy/contract.yaml")
    checked = run(str(CLI), "upgrade", "--check", "--contract", "deploy/contract.yaml", cwd=adopted)
    assert checked.returncode == 1
    assert checked.stdout.splitlines()[-1].endswith(
        "run cloudrun-acceptance upgrade . --contract deploy/contract.yaml"
    )
    done = run(str(CLI), "upgrade", "--contract", "deploy/contract.yaml", cwd=adopted)
    assert done.returncode == 0, done.stdout
    assert sorted(p.name for p in (adopted / "tests/acceptance").iterdir()) == [
        "test_our_checks.py"
    ]
    assert "version: 2" in (adopted / "deploy/contract.yaml").read_text()


def test_init_over_an_earlier_inits_repository_names_the_upgrade(adopted):
    done = run(str(CLI), "init", "--example", "--force", cwd=adopted)
    assert done.returncode == 1
    assert done.stderr.startswith(
        "cloudrun-acceptance init: tests/acceptance holds copies of the built-in checks an "
        "earlier init wrote (test_analysis.py, "
    )
    assert done.stderr.rstrip().endswith(
        "this version brings them itself: run cloudrun-acceptance upgrade . instead (it removes "
        "the unedited copies, keeps yours and says what to do with edited ones)."
    )
    assert (adopted / "tests/acceptance/test_health.py").exists()


def test_a_bare_ini_key_beside_its_new_name_is_commented_out_and_pytest_reads_the_file(tmp_path):
    """Renamed, the key would be written twice, and pytest would refuse the file."""
    repo = tmp_path / "service"
    shutil.copytree(ADOPTED / "0.2.0", repo)
    ini = repo / "pytest.ini"
    ini.write_text(
        ini.read_text() + "service_url = https://old.example.com\n"
        "cloudrun_service_url = https://new.example.com\n"
    )
    upgraded = run(str(CLI), "upgrade", cwd=repo)
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    assert (
        "wrote   pytest.ini: service_url commented out, since cloudrun_service_url is set "
        "too (the value the gate reads); nothing else changes"
    ) in upgraded.stdout.splitlines()
    assert "# service_url = https://old.example.com\n" in ini.read_text()
    collected = gate(repo, "--collect-only")
    assert collected.returncode == 0, collected.stdout + collected.stderr
    assert (
        f"cloudrun-acceptance {VERSION}: https://new.example.com (from cloudrun_service_url (in "
        "pytest.ini))"
    ) in collected.stdout.splitlines()
    assert "DeprecationWarning" not in collected.stdout
