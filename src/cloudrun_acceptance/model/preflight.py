"""What the pre-flight read of the service's source tree, before any deploy: the Dockerfile's
command, the upload set as gcloud computes it, the requirements, and env.yaml."""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .envfile import EnvFile

Form = Literal["exec", "shell"]


def shell_words(text: str) -> tuple[str, ...]:
    """The words of a shell command line, quotes honoured; split at whitespace when its quotes
    do not pair up (the shell would refuse it, and the judgement still names what it sees)."""
    try:
        return tuple(shlex.split(text))
    except ValueError:
        return tuple(text.split())


@dataclass(frozen=True)
class Instruction:
    """A CMD or ENTRYPOINT of the Dockerfile's final stage: exec form (a JSON list, run as is)
    or shell form (run by ``/bin/sh -c``, which expands ``$PORT``)."""

    keyword: str
    line: int
    form: Form
    words: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Dockerfile:
    """The Dockerfile at the root of the tree, as far as the container's command goes."""

    name: str
    found: bool
    error: str = ""
    entrypoint: Instruction | None = None
    cmd: Instruction | None = None

    @property
    def command(self) -> tuple[tuple[str, ...], Form, tuple[Instruction, ...]]:
        """What the container runs: the words, the form that decides expansion, and the
        instructions they come from (an exec ENTRYPOINT takes CMD as its arguments; a shell
        ENTRYPOINT ignores CMD)."""
        entry, cmd = self.entrypoint, self.cmd
        if entry is None:
            return (cmd.words, cmd.form, (cmd,)) if cmd else ((), "exec", ())
        if entry.form == "shell" or cmd is None:
            return entry.words, entry.form, (entry,)
        form: Form = "shell" if cmd.form == "shell" else "exec"
        return (*entry.words, *cmd.words), form, (entry, cmd)

    @property
    def where(self) -> str:
        """``the CMD on line 7`` (``the ENTRYPOINT on line 2 and the CMD on line 3``): the
        instructions the command comes from, for messages."""
        _, _, sources = self.command
        return " and ".join(f"the {item.keyword} on line {item.line}" for item in sources)

    @property
    def argv(self) -> tuple[str, ...]:
        """The process the container starts, as Docker builds it: an instruction in shell form
        is ``/bin/sh -c TEXT``; an exec ENTRYPOINT takes CMD as its arguments."""

        def run(item: Instruction) -> tuple[str, ...]:
            return item.words if item.form == "exec" else ("/bin/sh", "-c", item.text)

        entry, cmd = self.entrypoint, self.cmd
        if entry is None:
            return run(cmd) if cmd else ()
        if entry.form == "shell" or cmd is None:
            return run(entry)
        return (*entry.words, *run(cmd))


@dataclass(frozen=True)
class Rule:
    """One line of an ignore file: where it is, and what it says."""

    file: str
    line: int
    text: str

    def __str__(self) -> str:
        if not self.line:
            return f"{self.file} rule {self.text}"
        return f"{self.file} line {self.line}: {self.text}"


@dataclass(frozen=True)
class Refusal:
    """Why ``gcloud run deploy --source`` would stop before uploading anything: its message as
    it prints it, the line at fault (None when it is a gcloud setting), and the fix."""

    message: str
    fix: str
    rule: Rule | None = None


@dataclass(frozen=True)
class UploadSet:
    """What ``gcloud run deploy --source`` uploads: its files and sizes, where the rules came
    from, and for each file it leaves out, the rule that did.

    ``refusal`` is set when gcloud would refuse the tree (an ``#!include:`` it cannot read, say);
    the files are then those it would upload once the line at fault is gone. ``links`` are the
    folder symlinks it uploads as empty folders, without following them (path: target), and
    ``notes`` what else it skips: lines that are not patterns, broken symlinks.
    """

    rules_from: str
    files: Mapping[str, int]
    excluded: Mapping[str, Rule] = field(default_factory=dict)
    refusal: Refusal | None = None
    links: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        """Bytes uploaded."""
        return sum(self.files.values())

    def largest(self, count: int = 10) -> list[tuple[str, int]]:
        """The ``count`` largest files, largest first."""
        return sorted(self.files.items(), key=lambda item: (-item[1], item[0]))[:count]

    def under(self, path: str) -> tuple[list[str], list[str]]:
        """The files at or under ``path`` (``src/`` for a folder): uploaded, and left out."""
        prefix = path.rstrip("/") + "/" if path.endswith("/") else path

        def inside(name: str) -> bool:
            return name == path or (prefix.endswith("/") and name.startswith(prefix))

        kept = sorted(name for name in self.files if inside(name))
        dropped = sorted(name for name in self.excluded if inside(name))
        return kept, dropped

    def link_at(self, path: str) -> tuple[str, str] | None:
        """The folder symlink at or above ``path`` (its path and target), if there is one."""
        parts = path.strip("/").split("/")
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            if prefix in self.links:
                return prefix, self.links[prefix]
        return None


@dataclass(frozen=True)
class Requirement:
    """A line of the requirements that names a distribution, parsed with packaging."""

    name: str
    specifier: str
    line: int
    text: str


@dataclass(frozen=True)
class Requirements:
    """The service's requirements: requirements.txt, else pyproject.toml's dependencies."""

    file: str
    found: bool
    entries: tuple[Requirement, ...] = ()
    unparsable: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class SourceTree:
    """Everything the pre-flight read of the tree at ``root``."""

    root: Path
    dockerfile: Dockerfile
    upload: UploadSet
    requirements: Requirements
    env: EnvFile
