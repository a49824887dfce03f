"""`python -m cloudrun_acceptance.sandbox` says what is wrong with its input in one line."""

from __future__ import annotations

import subprocess
import sys


def run(*args: str, cwd) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cloudrun_acceptance.sandbox", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_missing_contract_is_one_line_and_exit_2(tmp_path):
    result = run("--contract", "missing.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "python -m cloudrun_acceptance.sandbox: error: contract missing.yaml does not exist; "
        "pass --contract PATH to an existing file.\n"
    )


def test_a_bad_env_file_is_one_line_too(tmp_path):
    (tmp_path / "contract.yaml").write_text("version: 2\nhealth: {path: /healthz}\n")
    (tmp_path / "env.yaml").write_text("FLAG: true\n")
    result = run("--contract", "contract.yaml", "--env-file", "env.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert (
        'env file env.yaml (from --env-file) line 1: FLAG: true is read as a boolean, not a string, and gcloud --env-vars-file takes strings only; quote it: FLAG: "true".'
        in result.stderr
    )


def test_it_prints_the_gcloud_exports_and_its_stop_removes_their_folder(tmp_path):
    import signal
    from pathlib import Path

    from tests.paths import REPO

    started = subprocess.Popen(
        [sys.executable, "-m", "cloudrun_acceptance.sandbox"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert started.stdout is not None
        lines = [started.stdout.readline() for _ in range(9)]
        assert lines[3].startswith("Monitoring   http://127.0.0.1:")
        assert lines[5].startswith("gate it with pytest --project=sandbox-project ")
        assert "--monitoring-endpoint=http://127.0.0.1:" in lines[5]
        assert lines[6] == (
            "gcloud       run the runbook's gcloud commands against it after these exports:\n"
        )
        assert lines[7].startswith("  export CLOUDSDK_CONFIG=")
        assert lines[8] == "  export CLOUDSDK_CORE_DISABLE_PROMPTS=1\n"
        folder = Path(lines[7].split("=", 1)[1].strip())
        assert (folder / "configurations" / "config_default").is_file()
    finally:
        started.send_signal(signal.SIGTERM)
        assert started.wait(timeout=20) == 0
    assert not folder.exists()
