"""The upload set of ``gcloud run deploy --source``, computed with gcloud 528's rules.

Which rules (``command_lib/util/gcloudignore.py``): none when the property
``gcloudignore/enabled`` is false; else the ``.gcloudignore`` at the top of the tree, whose
``#!include:FILE`` lines bring in the patterns of a file beside it (one level deep: an included
file's own ``#!include:`` lines are not followed, but one naming a file in a folder still makes
gcloud refuse the tree, as does a file it cannot read). Without a readable ``.gcloudignore``,
gcloud ignores nothing unless ``.git`` or ``.gitignore`` exists at the top; then it ignores
``.gcloudignore``, ``.git`` and ``.gitignore``, and includes ``.gitignore``'s patterns (only
the top one's: a ``.gitignore`` in a folder is a file like any other).

How deploy walks (``api_lib/storage/storage_util.py``, ``Snapshot``): top down, without entering
a folder left out, nor a folder symlink (uploaded as an empty folder; ``gcloud meta
list-files-for-upload`` does follow it), skipping broken symlinks. Each path is judged by
:func:`.patterns.left_out_by`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..model.preflight import Refusal, Rule, UploadSet
from .gcloudconfig import gcloudignore_setting
from .patterns import Pattern, left_out_by, read_line

IGNORE_FILE = ".gcloudignore"
GIT_FILES = (".git", ".gitignore")
DEFAULT_RULES = (".gcloudignore", ".git", ".gitignore")
INCLUDE = "!include:"
COMMAND = "gcloud.run.deploy"


def upload_set(
    root: Path, keep_excluded_under: Iterable[str] = (), *, environ: Mapping[str, str] | None = None
) -> UploadSet:
    """The files gcloud would upload from ``root``; for the files it leaves out under the paths
    of ``keep_excluded_under`` (and at the top level), the rule that left each out. ``environ``
    (default: this process's) is where gcloud's configuration is found."""
    rules = _Rules(str(root))
    rules_from = rules.choose(os.environ if environ is None else environ)
    walk = _Walk(root, rules.patterns, tuple(path.rstrip("/") for path in keep_excluded_under))
    walk.run()
    return UploadSet(
        rules_from,
        walk.files,
        walk.excluded,
        refusal=rules.refusal,
        links=walk.links,
        notes=(*rules.notes, *walk.notes),
    )


@dataclass
class _Rules:
    """The patterns gcloud reads for a tree, the lines it skips, and the first refusal."""

    root: str
    patterns: list[Pattern] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    refusal: Refusal | None = None

    def choose(self, environ: Mapping[str, str]) -> str:
        """Read the rules that apply to the tree; where they came from."""
        setting = gcloudignore_setting(environ)
        if setting.problem:
            self.refuse(
                setting.problem,
                f"make gcloudignore/enabled true or false in {setting.source}: gcloud refuses "
                "any other value, before it reads .gcloudignore",
            )
        elif not setting.enabled:
            return (
                f"gcloudignore/enabled is {setting.value!r} in {setting.source}: gcloud ignores "
                "nothing and uploads every file"
            )
        text = self.load(os.path.join(self.root, IGNORE_FILE), IGNORE_FILE, None)
        if isinstance(text, str):
            self.read(text, IGNORE_FILE, includes=1)
            return IGNORE_FILE
        if not any(os.path.exists(os.path.join(self.root, name)) for name in GIT_FILES):
            return "no .gcloudignore and no git files: gcloud uploads every file"
        for line in DEFAULT_RULES:
            rule = Rule("gcloud's default", 0, line)
            pattern = read_line(rule)
            assert isinstance(pattern, Pattern)
            self.patterns.append(pattern)
        if not os.path.exists(os.path.join(self.root, ".gitignore")):
            return "gcloud's default (no .gcloudignore): .gcloudignore, .git and .gitignore"
        self.include(Rule("gcloud's default", 0, f"#{INCLUDE}.gitignore"), includes=1)
        return "gcloud's default (no .gcloudignore): .git, .gitignore and .gitignore's rules"

    def read(self, text: str, name: str, *, includes: int) -> None:
        """The lines of the ignore file ``name``; ``includes``: how deep #!include is followed."""
        for number, line in enumerate(text.splitlines(), start=1):
            rule = Rule(name, number, line)
            if line.startswith("#"):
                if line[1:].lstrip().startswith(INCLUDE):
                    self.include(rule, includes=includes)
                continue
            pattern = read_line(rule)
            if isinstance(pattern, Pattern):
                self.patterns.append(pattern)
            elif line.strip():
                self.notes.append(f"{rule}: not a pattern to gcloud ({pattern.reason}), skipped")

    def include(self, rule: Rule, *, includes: int) -> None:
        """An #!include line: everything after the colon, spaces too, names the file."""
        line = rule.text
        name = line[line.index(INCLUDE) + len(INCLUDE) :]
        if "/" in name:
            fix = (
                f"copy the patterns of {name} into {rule.file}, or move the file beside "
                f"{IGNORE_FILE} and write `#{INCLUDE}{os.path.basename(name)}`"
                if includes
                else f"remove the line: gcloud follows no #{INCLUDE} of an included file, but "
                "refuses one that names a file in a folder"
            )
            self.refuse("May only include files in the same directory.", fix, rule)
            return
        if not includes:
            self.notes.append(f"{rule}: gcloud does not follow an #{INCLUDE} of an included file")
            return
        path = os.path.join(self.root, name)
        text = self.load(path, name, rule)
        if isinstance(text, OSError):
            if name != name.strip():
                fix = (
                    f"write `#{INCLUDE}{name.strip()}`: gcloud takes everything after the colon, "
                    "spaces too, as the file's name"
                )
            elif rule.line == 0:
                fix = f"make .gitignore a file, or write a {IGNORE_FILE}"
            elif not name:
                fix = "name the file after the colon, or remove the line"
            else:
                fix = f"create {name} at the top of the source tree, or remove the line"
            self.refuse(
                f"Could not read ignore file [{path}]: Unable to read file [{path}]: {text}",
                fix,
                rule,
            )
            return
        self.read(text, name, includes=includes - 1)

    def load(self, path: str, name: str, rule: Rule | None) -> str | OSError:
        """The text of an ignore file, read as gcloud reads it (UTF-8, universal newlines)."""
        try:
            with open(path, encoding="utf-8") as handle:
                return handle.read()
        except UnicodeDecodeError as err:
            self.refusal = self.refusal or Refusal(
                f"ERROR: gcloud crashed (UnicodeDecodeError): {err}",
                f"save {name} as UTF-8: gcloud reads ignore files as UTF-8 and crashes on "
                "other bytes",
                rule,
            )
            with open(path, encoding="utf-8", errors="replace") as handle:
                return handle.read()
        except OSError as err:
            return err

    def refuse(self, message: str, fix: str, rule: Rule | None = None) -> None:
        """Keep the first: gcloud stops at it."""
        if self.refusal is None:
            self.refusal = Refusal(f"ERROR: ({COMMAND}) {message}", fix, rule)


@dataclass
class _Walk:
    """The tree walked as ``gcloud run deploy`` walks it."""

    root: Path
    patterns: list[Pattern]
    watched: tuple[str, ...]
    files: dict[str, int] = field(default_factory=dict)
    excluded: dict[str, Rule] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def run(self) -> None:
        # Folders whose every prefix is uploaded: a path inside needs only its own name judged.
        judged = {""}
        for folder, dirnames, filenames in os.walk(self.root):
            relative = Path(folder).relative_to(self.root).as_posix()
            parent = "" if relative == "." else relative
            base = f"{parent}/" if parent else ""
            known = parent.count("/") + 1 if parent and parent in judged else 0
            for name in sorted(filenames):
                path = base + name
                rule = left_out_by(self.patterns, path.split("/"), is_dir=False, known=known)
                if rule is not None:
                    self.excluded[path] = rule
                    continue
                size = self._size(os.path.join(folder, name), path)
                if size is not None:
                    self.files[path] = size
            for name in list(dirnames):
                path = base + name
                rule = left_out_by(self.patterns, path.split("/"), is_dir=True, known=known)
                full = os.path.join(folder, name)
                if rule is None:
                    if os.path.islink(full):  # listed by os.walk, not entered
                        self.links[path] = os.readlink(full)
                    else:
                        judged.add(path)
                elif not _overlaps(path, self.watched):
                    dirnames.remove(name)  # gcloud does not look inside; neither does the report
                    self.excluded[f"{path}/"] = rule

    def _size(self, full: str, path: str) -> int | None:
        """The file's size (its target's, for a symlink); None for a broken symlink."""
        try:
            return os.stat(full).st_size
        except OSError:
            if not os.path.islink(full):
                return 0
        self.notes.append(
            f"{path} is a broken symlink (to {os.readlink(full)}): gcloud run deploy --source . "
            "skips it (run from another folder, gcloud fails on it: FileNotFoundError)"
        )
        return None


def _overlaps(path: str, watched: tuple[str, ...]) -> bool:
    return any(w == path or w.startswith(f"{path}/") or path.startswith(f"{w}/") for w in watched)
