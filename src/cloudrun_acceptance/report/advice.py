"""A check's "What to do" as the report shows it: prose that wraps, and each gcloud command it
names in a block of its own, to be copied whole.

The advice is written for a terminal, with its commands between backticks in the sentence
(``run `gcloud run services update ...`, then ...``). Rendered, a code block never wraps and a
long inline command makes a paragraph hard to read: the sentence keeps a short pointer ("the
command below") and the command follows it in a ```sh block.
"""

from __future__ import annotations

import re
import shlex

from ..model.verdict import ADVICE_PREFIX
from .cells import text

# A command worth lifting out of the sentence: a gcloud invocation longer than a short phrase.
_COMMAND = re.compile(r"`(gcloud [^`]{30,})`")
_ORDINALS = ("first", "second", "third", "fourth", "fifth")


def split_advice(message: str) -> tuple[str, str]:
    """A message without its last "What to do: ..." line, and that line's advice."""
    body, found, advice = message.rstrip().rpartition(f"\n{ADVICE_PREFIX}")
    return (body, advice.strip()) if found else (message.rstrip(), "")


def advice_markdown(advice: str) -> list[str]:
    """``**What to do:** ...`` as a paragraph, then a ```sh block per long gcloud command."""
    if not advice:
        return []
    commands = _COMMAND.findall(advice)
    names = iter(
        ["the command below"]
        if len(commands) == 1
        else [
            f"the {_ORDINALS[i] if i < len(_ORDINALS) else 'next'} command below"
            for i in range(len(commands))
        ]
    )
    prose = _COMMAND.sub(lambda _: next(names), " ".join(advice.split()))
    lines = ["", f"**What to do:** {text(prose)}"]
    for command in commands:
        lines += ["", *command_block(command)]
    return lines


def command_block(*commands: str) -> list[str]:
    """A ```sh block of ``commands``; a long one a flag a line, continued with backslashes, so
    it reads without scrolling and still runs as pasted."""
    lines = ["```sh"]
    for command in commands:
        lines += _folded(command)
    return [*lines, "```"]


def _folded(command: str) -> list[str]:
    try:
        words = shlex.split(command)
    except ValueError:
        return [command]
    if len(command) <= 80 or shlex.join(words) != command:
        return [command]  # short, or quoted in a way a re-join would not keep verbatim
    parts: list[list[str]] = [[]]
    for word in words:
        if word.startswith("--") and parts[-1]:
            parts.append([])
        parts[-1].append(word)
    head, *flags = [shlex.join(part) for part in parts]
    if not flags:
        return [command]
    return [f"{head} \\", *(f"  {flag} \\" for flag in flags[:-1]), f"  {flags[-1]}"]
