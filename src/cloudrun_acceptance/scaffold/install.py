"""What pip installs for the gate in the workflow `init` writes: the way this gate was installed.

pip records where an installed distribution came from in its ``direct_url.json`` (PEP 610): a
VCS URL and commit, an archive's URL, or a local folder. A URL and commit are what CI can install
again; a local folder or file is not, and then the workflow gets a placeholder and `init` says so.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from ..model.version import VERSION
from .workflow import PACKAGE_PLACEHOLDER

DISTRIBUTION = "cloudrun-acceptance"


@dataclass(frozen=True)
class InstallSpec:
    """The requirement CI installs (or a placeholder), and how `init` came to it."""

    requirement: str
    how: str

    @property
    def known(self) -> bool:
        """True when the requirement is real, not a placeholder to fill in."""
        return self.requirement != PACKAGE_PLACEHOLDER


def install_spec(path: Iterable[str] | None = None) -> InstallSpec:
    """How the gate running now was installed, as a requirement CI can give pip; ``path``
    searches other folders than ``sys.path`` (for tests)."""
    found = list(
        metadata.distributions(name=DISTRIBUTION)
        if path is None
        else metadata.distributions(name=DISTRIBUTION, path=list(path))
    )
    if not found:
        return InstallSpec(PACKAGE_PLACEHOLDER, "the gate's distribution metadata was not found")
    text = found[0].read_text("direct_url.json")
    if not text:
        return InstallSpec(
            f"{DISTRIBUTION}=={VERSION}",
            f"installed from a package index ({DISTRIBUTION} {VERSION})",
        )
    try:
        origin: dict[str, Any] = json.loads(text)
    except ValueError:
        return InstallSpec(PACKAGE_PLACEHOLDER, "its direct_url.json is not JSON")
    return from_direct_url(origin)


def from_direct_url(origin: dict[str, Any]) -> InstallSpec:
    """The requirement for a PEP 610 record: ``vcs_info`` gives URL and commit, an archive its
    URL (with its hash); a local folder or file cannot be installed in CI."""
    url = str(origin.get("url", ""))
    vcs = origin.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("commit_id"):
        requirement = f"{DISTRIBUTION} @ {vcs.get('vcs', 'git')}+{url}@{vcs['commit_id']}"
        note = (
            " (a file:// URL, which only this machine can reach)" if url.startswith("file:") else ""
        )
        return InstallSpec(requirement, f"installed from {url} at commit {vcs['commit_id']}{note}")
    archive = origin.get("archive_info")
    if isinstance(archive, dict) and url.startswith(("http://", "https://")):
        hashes = archive.get("hashes") or {}
        digest = f"#sha256={hashes['sha256']}" if "sha256" in hashes else ""
        return InstallSpec(f"{DISTRIBUTION} @ {url}{digest}", f"installed from {url}")
    where = url.removeprefix("file://")
    kind = "the local folder" if "dir_info" in origin else "the local file"
    return InstallSpec(
        PACKAGE_PLACEHOLDER,
        f"installed from {kind} {where}, which CI cannot reach: give GATE_PACKAGE a git URL at "
        "a commit, or a wheel's URL",
    )
