"""The ``cloudrun-acceptance`` command's subcommands and their arguments, read from its own
argparse parser (``scaffold.cli.build_parser``), so that the command-line reference cannot
drift from what the command accepts."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from cloudrun_acceptance.scaffold.cli import build_parser


@dataclass(frozen=True)
class Argument:
    """One argument of a subcommand: how it is written (``--ci {github,cloudbuild,none}``),
    its default ("" for none) and its help."""

    usage: str
    flags: tuple[str, ...]
    default: str
    help: str


@dataclass(frozen=True)
class Group:
    """The arguments ``--help`` shows under one title."""

    title: str
    arguments: tuple[Argument, ...]


@dataclass(frozen=True)
class Command:
    """A subcommand: its name, its one-line help, its description and its arguments (none for
    those whose arguments go to pytest)."""

    name: str
    help: str
    description: str
    groups: tuple[Group, ...]


def commands() -> list[Command]:
    """Every subcommand of ``cloudrun-acceptance``, in the parser's order."""
    parser = build_parser()
    found = next(
        action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
    )
    helps = {action.dest: action.help or "" for action in found._choices_actions}
    return [
        Command(name, helps.get(name, ""), sub.description or "", _groups(sub))
        for name, sub in found.choices.items()
    ]


def _groups(parser: argparse.ArgumentParser) -> tuple[Group, ...]:
    groups = []
    for group in parser._action_groups:
        arguments = tuple(
            _argument(action)
            for action in group._group_actions
            if not isinstance(action, argparse._HelpAction)
        )
        if arguments:
            groups.append(Group(group.title or "", arguments))
    return tuple(groups)


def _argument(action: argparse.Action) -> Argument:
    if action.choices:
        takes = "{" + ",".join(str(choice) for choice in action.choices) + "}"
    elif action.nargs == 0:
        takes = ""
    else:
        takes = str(action.metavar or action.dest.upper())
    written = f"{action.option_strings[0]} {takes}" if action.option_strings else takes
    default = action.default
    shown = "" if default in (None, False, argparse.SUPPRESS) else str(default)
    return Argument(written.strip(), tuple(action.option_strings), shown, action.help or "")
