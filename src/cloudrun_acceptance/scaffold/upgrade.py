"""``cloudrun-acceptance upgrade``: a repository written by an earlier ``init``, brought to this
version.

Before 0.2.0, ``init`` copied the built-in checks into the repository; from 0.2.0 the plugin
collects them from the package. The upgrade removes each copy it recognises by its content as
one an earlier ``init`` wrote (scaffold/written.py), keeps a copy that was edited (saying what
to do with it) and every check of the team's own, writes the contract's ``version:``, and
renames the gate's bare ini keys in pytest.ini (``project`` becomes ``cloudrun_project``; a bare
key beside its new name is commented out). It plans first, so that every change is printed,
and a second run finds nothing to change.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..config.builtins import check_names, module_check_names
from ..model.errors import ConfigError
from ..model.version import CONTRACT_VERSION, VERSION
from .files import CONTRACT, PYTEST_INI, VERSION_LINE, template_text
from .inikeys import RENAMES, rename_ini_keys
from .written import WRITTEN

Action = Literal["remove", "write", "keep"]
_VERSION_KEY = re.compile(r"^version\s*:\s*(\S*)")
_TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")


@dataclass(frozen=True)
class Change:
    """One file: what the upgrade does to it, and why."""

    path: Path
    action: Action
    why: str
    content: bytes = b""
    # A file the upgrade keeps that the team must still change: an edited copy.
    by_hand: bool = False


@dataclass
class Plan:
    """Every change the upgrade would make, and the files it keeps, in order."""

    directory: Path
    changes: list[Change] = field(default_factory=list)

    @property
    def pending(self) -> list[Change]:
        """The changes the upgrade makes itself."""
        return [change for change in self.changes if change.action != "keep"]

    @property
    def by_hand(self) -> list[Change]:
        """The files it keeps that the team must still change."""
        return [change for change in self.changes if change.by_hand]


def plan_upgrade(directory: Path, contract: Path | None = None) -> Plan:
    """What upgrading ``directory`` changes; nothing is touched."""
    contract = contract if contract is not None else directory / CONTRACT
    if not contract.is_file():
        raise ConfigError(
            f"no contract at {contract}; upgrade works in a repository the gate was written "
            "into: run it there, or give --contract PATH"
        )
    plan = Plan(directory)
    # Where an earlier init wrote the copies, and beside the contract if it was moved.
    folders = dict.fromkeys([(directory / CONTRACT).parent.resolve(), contract.parent.resolve()])
    for folder in folders:
        plan.changes += _copies(directory.resolve(), folder)
    plan.changes += _root_files(directory)
    change = _contract(contract)
    if change is not None:
        plan.changes.append(change)
    return plan


def apply(plan: Plan) -> None:
    """Make the plan's changes."""
    for change in plan.pending:
        if change.action == "remove":
            change.path.unlink()
        else:
            change.path.write_bytes(change.content)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _copies(directory: Path, folder: Path) -> list[Change]:
    """The check modules beside the contract: copies init wrote, edited copies, the team's."""
    copies = {
        Path(name).name: versions
        for name, versions in WRITTEN.items()
        if name.startswith("tests/acceptance/")
    }
    built_in = set(check_names())
    changes = []
    for path in sorted(folder.glob("test_*.py")):
        shown = path.relative_to(directory) if path.is_relative_to(directory) else path
        versions = copies.get(path.name)
        if versions is None:
            changes.append(Change(path, "keep", "your own checks: the gate runs them as before"))
            continue
        written = versions.get(_sha256(path))
        if written is not None:
            changes.append(
                Change(
                    path,
                    "remove",
                    f"an unedited copy of the built-in checks, as init {written} wrote it; "
                    "the plugin runs them from the package now",
                )
            )
            continue
        twice = [name for name in module_check_names(path) if name in built_in]
        them = "it" if len(twice) == 1 else "them"
        runs = (
            f"{', '.join(twice)} would run twice (the package runs {them} too); " if twice else ""
        )
        internal = "cloudrun_acceptance.checks" in path.read_text(
            encoding="utf-8", errors="replace"
        )
        fails = (
            "it imports cloudrun_acceptance.checks.*, whose judgements take keyword arguments "
            "now, so its checks will fail with a TypeError"
            if internal
            else "it may depend on what 0.1 gave"
        )
        changes.append(
            Change(
                path,
                "keep",
                f"edited since init wrote it (it matches none of the {len(versions)} copies an "
                f"earlier init wrote): {runs}{fails}. Move what your team added into a module "
                f"of its own that imports cloudrun_acceptance.judges, then delete {shown}",
                by_hand=True,
            )
        )
    return changes


def _root_files(directory: Path) -> list[Change]:
    """conftest.py and pytest.ini as init wrote them: the first is no longer needed, the
    second is written as this version's init writes it. Edited ones are the team's."""
    changes = []
    conftest = directory / "conftest.py"
    written = WRITTEN["conftest.py"].get(_sha256(conftest)) if conftest.is_file() else None
    if written is not None:
        why = f"unedited, as init {written} wrote it (no fixtures): the gate needs none"
        changes.append(Change(conftest, "remove", why))
    ini = directory / PYTEST_INI
    current = template_text(PYTEST_INI).encode()
    written = WRITTEN[PYTEST_INI].get(_sha256(ini)) if ini.is_file() else None
    if written is not None and ini.read_bytes() != current:
        why = f"unedited, as init {written} wrote it: written as init {VERSION} writes it"
        changes.append(Change(ini, "write", why, current))
    elif ini.is_file():
        text, renamed, commented = rename_ini_keys(ini.read_text(encoding="utf-8"))
        done = [f"the gate's ini keys renamed: {', '.join(renamed)}"] if renamed else []
        done += [
            f"{old} commented out, since {RENAMES[old]} is set too (the value the gate reads)"
            for old in commented
        ]
        if done:
            why = f"{'; '.join(done)}; nothing else changes"
            changes.append(Change(ini, "write", why, text.encode()))
    return changes


def _contract(path: Path) -> Change | None:
    """The contract with this version's ``version:`` line, its comments and keys as they are
    (no key has been renamed or moved since 0.1.0)."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        found = _VERSION_KEY.match(line)
        if found is None:
            continue
        value = found.group(1)
        if value == str(CONTRACT_VERSION):
            return None
        if value.isdigit() and int(value) > CONTRACT_VERSION:
            raise ConfigError(
                f"{path}: version: {value} is newer than this gate reads ({CONTRACT_VERSION}, "
                f"cloudrun-acceptance {VERSION}); upgrade the gate: pip install -U the "
                'requirement it was installed from (README, "Installing the gate")'
            )
        lines[index] = VERSION_LINE + "\n"
        why = f"version: {value} becomes version: {CONTRACT_VERSION}"
        return Change(path, "write", why, "".join(lines).encode())
    first = next((i for i, line in enumerate(lines) if _TOP_KEY.match(line)), len(lines))
    lines[first:first] = [VERSION_LINE + "\n", "\n"]
    why = f"version: {CONTRACT_VERSION} added (the format this gate reads); nothing else changes"
    return Change(path, "write", why, "".join(lines).encode())
