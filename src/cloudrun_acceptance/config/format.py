"""The contract's keys about the gate itself rather than the service: the format it is written
in (``version:``) and the built-in checks it leaves out (``checks.skip``)."""

from __future__ import annotations

import re
import shlex

from ..model.version import CONTRACT_VERSION, VERSION
from .yamlnode import Node


def check_version(root: Node) -> None:
    """The contract's format: this gate reads CONTRACT_VERSION; an older one is migrated by
    `cloudrun-acceptance upgrade`, a newer one needs a newer gate."""
    node = root.child("version")
    written = node.integer(1, positive=True) if node.present() else 1
    if written < CONTRACT_VERSION:
        seen = str(written) if node.present() else "missing"
        node.fail(
            f"{seen}: the format of cloudrun-acceptance 0.1, whose init copied the built-in "
            f"checks into the repository; this gate ({VERSION}) reads version "
            f"{CONTRACT_VERSION} and brings its checks itself",
            f"run `cloudrun-acceptance upgrade --contract {shlex.quote(str(node.source))}` in "
            "the repository (it says what it changes: it removes the copies it recognises as "
            f"unedited, keeps edited ones and your own checks, and writes version: "
            f"{CONTRACT_VERSION}), then run again",
        )
    if written > CONTRACT_VERSION:
        node.fail(
            f"{written} is newer than this gate reads (version {CONTRACT_VERSION}, "
            f"cloudrun-acceptance {VERSION})",
            "upgrade the gate: pip install -U the requirement it was installed from (README, "
            '"Installing the gate")',
        )


CHECK_NAME = re.compile(r"test_\w+")


def skipped_checks(node: Node) -> tuple[str, ...]:
    """``checks.skip``: built-in checks this service does not run, by function name."""
    if not node.present():
        return ()
    node.mapping(("skip",))
    names = []
    for item in node.child("skip").items():
        name = item.text("")
        if not CHECK_NAME.fullmatch(name):
            item.fail(
                f"{name!r} is not a check's name",
                "give a built-in check's function name, such as test_exposition_passes_lint",
            )
        names.append(name)
    return tuple(names)
