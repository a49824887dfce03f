"""Running the real gcloud against a sandbox, as `python -m cloudrun_acceptance.sandbox` points
it there: the sandbox's throwaway CLOUDSDK_CONFIG, and nothing of this machine's; or against
another local server, with a throwaway configuration of the test's own (run_gcloud)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping

import pytest

from cloudrun_acceptance.sandbox.launcher import Sandbox

needs_gcloud = pytest.mark.skipif(shutil.which("gcloud") is None, reason="gcloud is not installed")
_BOLD = re.compile(r"\x1b\[[0-9;]*m")


def inherited_environment() -> dict[str, str]:
    """This process's environment without any CLOUDSDK_* setting: gcloud reads none of this
    machine's configuration."""
    return {k: v for k, v in os.environ.items() if not k.startswith("CLOUDSDK_")}


def gcloud_environment(sandbox: Sandbox) -> dict[str, str]:
    """This process's environment without any CLOUDSDK_* setting, with the sandbox's."""
    return {**inherited_environment(), **sandbox.gcloud().environment}


def _plain(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    # gcloud's run printers add bold even to a pipe.
    return subprocess.CompletedProcess(
        done.args, done.returncode, _BOLD.sub("", done.stdout), _BOLD.sub("", done.stderr)
    )


def _run(environment: Mapping[str, str], argv: list[str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        argv,
        env=dict(environment),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return _plain(done)


def gcloud(sandbox: Sandbox, *args: str) -> subprocess.CompletedProcess[str]:
    """``gcloud ARGS...`` against the sandbox."""
    return run_gcloud(gcloud_environment(sandbox), *args)


def run_gcloud(environment: Mapping[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``gcloud ARGS...`` with this whole environment (one from inherited_environment, with a
    CLOUDSDK_CONFIG of the test's own)."""
    return _run(environment, ["gcloud", *args])


def run_as_printed(sandbox: Sandbox, command: str) -> subprocess.CompletedProcess[str]:
    """A command line exactly as the gate printed it, run by bash against the sandbox."""
    assert command.startswith("gcloud "), command
    return _run(gcloud_environment(sandbox), ["bash", "-c", command])
