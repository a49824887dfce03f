"""The reference pages, rendered as markdown from the rows of ``tables`` and ``contract_keys``.

Pure: rows in, text out. ``reference_pages`` reads the tables (importing the gate) and returns
every page by its path under docs/.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from cloudrun_acceptance.config.options import OLD_INI_KEYS_GO

if TYPE_CHECKING:
    from .commands import Command
    from .contract_keys import ContractKey
    from .tables import ExitCode, FaultRow, Fixture, Option, Variable

GENERATED = (
    "<!-- Generated at build time by docsgen (mkdocs.yml's hooks) from the gate's own tables: "
    "edit the code, not this page. -->\n\n"
)
SCOPES = {"platform": "any service", "reference": "the reference service"}


def cell(text: str) -> str:
    """Text for a markdown table's cell: one line, pipes escaped, RST literals as code."""
    return rst_to_markdown(" ".join(text.split())).replace("|", "\\|")


def rst_to_markdown(text: str) -> str:
    """A docstring's ``literal`` as markdown's `literal`."""
    return re.sub(r"``(.+?)``", r"`\1`", text)


def heading(text: str) -> str:
    """A module docstring's first clause, as a heading."""
    return re.split(r"\. |: |\.$", text, maxsplit=1)[0]


def code(text: str) -> str:
    return f"`{text}`" if text else ""


def options_page(options: Iterable[Option]) -> str:
    """Every option with its value, environment variable, ini key, default and help; grouped
    when the table gives groups."""
    rows = list(options)
    out = [
        "# Options\n\n",
        GENERATED,
        "Precedence, highest first: **command line > environment > pytest.ini > the contract's "
        "`defaults:` > built-in default**. A bad value is a usage error (exit code 4) that names "
        "the value, where it came from and the fix. Paths given on the command line or in the "
        "environment are relative to the current folder, in pytest.ini to the rootdir; write "
        "path options with `=` (`--env-file=../service/env.yaml`): with a space, pytest takes "
        "the value for a test path before it knows the option. The [ini keys](ini.md) and the "
        "[environment variables](environment.md) have pages of their own.\n",
    ]
    groups: dict[str, list[Option]] = {}
    for option in rows:
        groups.setdefault(option.group, []).append(option)
    level = "###" if any(groups) else "##"
    for group, members in groups.items():
        if group:
            out.append(f"\n## {group}\n")
        for option in members:
            takes, _, note = option.value.partition(" (")
            note = f" ({note}" if note else ""
            out.append(f"\n{level} `{f'{option.flag} {takes}'.strip()}`{note}\n\n")
            out.append(f"{rst_to_markdown(option.help)}\n\n")
            facts = [
                ("Environment", code(option.env)),
                ("pytest.ini", code(option.ini_key)),
                ("Default", code(option.default)),
                *((name, value) for name, value in option.extra),
            ]
            out += [f"- {name}: {value}\n" for name, value in facts if value]
    return "".join(out)


def ini_page(options: Iterable[Option]) -> str:
    """The pytest.ini keys: each one's option and help."""
    out = [
        "# pytest.ini keys\n\n",
        GENERATED,
        "Each key sets its option for every run of the folder (`[pytest]` section); the command "
        "line and the environment win over it. Paths in pytest.ini are relative to the rootdir. "
        "Options without a key here are given on the command line only. A key's earlier name "
        f"(without the `cloudrun_` prefix) is still read, with a warning, until {OLD_INI_KEYS_GO}; "
        "`cloudrun-acceptance upgrade` renames it in pytest.ini (in pyproject.toml, tox.ini or "
        "setup.cfg, rename it by hand).\n\n",
        "| Key | Option | What | Earlier name |\n|---|---|---|---|\n",
    ]
    out += [
        f"| {code(option.ini_key)} | {code(option.flag)} | {cell(option.help)} | "
        f"{code(option.old_ini_key) if option.old_ini_key else ''} |\n"
        for option in options
        if option.ini_key
    ]
    return "".join(out)


def environment_page(variables: Iterable[Variable]) -> str:
    """Every environment variable the gate reads, and what for."""
    out = [
        "# Environment variables\n\n",
        GENERATED,
        "An option's variable wins over pytest.ini and loses to the command line.\n\n",
        "| Variable | What |\n|---|---|\n",
    ]
    out += [f"| {code(variable.name)} | {cell(variable.what)} |\n" for variable in variables]
    return "".join(out)


def contract_page(
    keys: Iterable[ContractKey], descriptions: dict[str, str], notes: dict[str, str] | None = None
) -> str:
    """Every key of the contract, by section: its kind, default and whether it is required;
    each section with its description (the docstring of the rules it becomes), and under its
    table the ``notes`` of its keys."""
    out = [
        "# Contract keys\n\n",
        GENERATED,
        "The contract (`tests/acceptance/contract.yaml`) describes what a good revision of the "
        "service does. Every key is optional unless it says *required*; a section left out "
        "skips its checks. Unknown keys are errors, so a typo cannot switch a check off. "
        "`x[]` is an item of the list `x`. [Adopt your service](../how-to/adopt.md) says how to "
        "write one.\n",
    ]
    section = ""
    notes = notes or {}
    for key in keys:
        if key.path == key.section:
            out += _notes(section, notes)
            section = key.section
            required = " (required)" if key.required else ""
            out.append(f"\n## `{section}`{required}\n\n")
            if descriptions.get(section):
                out.append(rst_to_markdown(descriptions[section]) + "\n\n")
            out.append("| Key | Kind | Default |\n|---|---|---|\n")
            out.append(f"| {code(key.path)} | {cell(key.kind)} | |\n")
            continue
        kind = key.kind + (
            ": " + ", ".join(code(c) for c in key.choices if c) if key.choices else ""
        )
        default = (
            "*required*" if key.required else code(key.default) if _literal(key) else key.default
        )
        out.append(f"| {code(key.path)} | {cell(kind)} | {cell(default)} |\n")
    out += _notes(section, notes)
    return "".join(out)


def _notes(section: str, notes: dict[str, str]) -> list[str]:
    """The notes of a section's keys, as a list under its table."""
    found = [
        f"- {code(path)}: {text}\n" for path, text in notes.items() if path.split(".")[0] == section
    ]
    return ["\n", *found] if section and found else []


def _literal(key: ContractKey) -> bool:
    return bool(key.default) and not key.described


def fixtures_page(fixtures: Iterable[Fixture], cases: dict[str, str]) -> str:
    """Every public fixture with its scope and docstring, by the module's group."""
    out = [
        "# Fixtures\n\n",
        GENERATED,
        "A team's own check asks for these by name (see [Custom checks]"
        "(../how-to/custom-checks.md)); `pytest --fixtures` lists them too, and needs no target. "
        "A fixture whose input is missing skips the check with its reason, or errors it as "
        '"not checked" when something it needs failed.\n',
    ]
    group = None
    for fixture in fixtures:
        if fixture.group != group:
            group = fixture.group
            out.append(f"\n## {rst_to_markdown(heading(group))}\n")
        scope = f" ({fixture.scope} scope)" if fixture.scope != "function" else ""
        out.append(f"\n### `{fixture.name}`{scope}\n\n{rst_to_markdown(fixture.doc)}\n")
    out.append(
        "\n## A case each\n\nA check that asks for one of these is run once per value (one "
        "test id per case); with no value it is skipped with the reason below.\n\n"
        "| Fixture | No case means |\n|---|---|\n"
    )
    out += [f"| `{name}` | {cell(reason)} |\n" for name, reason in cases.items()]
    return "".join(out)


def faults_page(faults: Iterable[FaultRow]) -> str:
    """Every fault profile: whom it applies to and the broken deployment it makes."""
    out = [
        "# Fault profiles\n\n",
        GENERATED,
        "`pytest --sandbox --sandbox-fault NAME` (repeatable) turns the sandbox into a broken "
        "deployment; the integration tests assert, for each, which checks fail and what their "
        "message says. The platform's profiles (what Cloud Run does around a service) apply to "
        "any service, the team's own included; the others change the example's reference "
        "service and are a usage error with a `sandbox:` section. Beside a region profile, "
        "`REGION:FAULT` applies a fault in that region alone.\n\n",
        "| Fault | Applies to | The deployment |\n|---|---|---|\n",
    ]
    out += [
        f"| `{fault.name}` | {SCOPES.get(fault.scope, fault.scope)} | {cell(fault.summary)} |\n"
        for fault in faults
    ]
    return "".join(out)


def exit_codes_page(codes: Iterable[ExitCode]) -> str:
    """pytest's exit codes, as the gate uses them."""
    out = [
        "# Exit codes\n\n",
        GENERATED,
        "The gate's exit code is pytest's: a CI step fails on anything but 0. "
        "`cloudrun-acceptance verify` and `analyze` exit with the same code, which Cloud Deploy "
        "reads as the job's verdict.\n\n",
        "| Code | pytest's name | Means |\n|---|---|---|\n",
    ]
    out += [f"| **{c.code}** | `{c.name}` | {cell(c.meaning)} |\n" for c in codes]
    return "".join(out)


def cli_page(commands: Iterable[Command]) -> str:
    """The ``cloudrun-acceptance`` command: each subcommand, its description and arguments."""
    out = [
        "# The cloudrun-acceptance command\n\n",
        GENERATED,
        "The gate itself runs with pytest (its options: [Options](options.md)). The "
        "`cloudrun-acceptance` command beside it writes the gate into a repository (`init`, "
        "see [Adopt your service](../how-to/adopt.md)), brings one an earlier version wrote up "
        "to date (`upgrade`, see [Upgrade](../how-to/upgrade.md)), and runs the gate as a "
        "Cloud Deploy job (`verify`, `analyze`, see [Cloud Deploy](../how-to/cloud-deploy.md)). "
        "`cloudrun-acceptance COMMAND --help` prints the same.\n",
    ]
    for command in commands:
        summary = _plain(command.help)
        out.append(f"\n## `{command.name}`\n\n{summary[:1].upper()}{summary[1:]}.\n\n")
        if command.description:
            paragraphs = command.description.split("\n\n")
            out += [f"{_plain(paragraph)}\n\n" for paragraph in paragraphs]
        if not command.groups:
            out.append(
                f"Every argument after `{command.name}` goes to pytest: the gate's "
                "[options](options.md) and pytest's own.\n"
            )
        for group in command.groups:
            out.append(f"### {group.title[:1].upper()}{group.title[1:]}\n")
            for argument in group.arguments:
                out.append(f"\n#### `{argument.usage}`\n\n{_plain(argument.help)}\n")
                if argument.default:
                    out.append(f"\n- Default: `{argument.default}`\n")
            out.append("\n")
    return "".join(out).rstrip("\n") + "\n"


def _plain(text: str) -> str:
    """argparse's text (or a docstring) on one line, as markdown: its literals as code, and a
    ``<`` that is not a tag (``<FILL IN: ...>``) escaped."""
    return rst_to_markdown(" ".join(text.split())).replace("<", "&lt;")


def reference_pages() -> dict[str, str]:
    """Every generated page, by its path under docs/."""
    from . import tables
    from .commands import commands
    from .contract_keys import KEY_NOTES, SECTION_MODELS, contract_keys

    options = tables.options()
    descriptions = {name: inspect.getdoc(cls) or "" for name, cls in SECTION_MODELS.items()}
    return {
        "reference/options.md": options_page(options),
        "reference/ini.md": ini_page(options),
        "reference/environment.md": environment_page(tables.variables()),
        "reference/contract.md": contract_page(contract_keys(), descriptions, KEY_NOTES),
        "reference/fixtures.md": fixtures_page(tables.fixtures(), tables.parametrized_fixtures()),
        "reference/faults.md": faults_page(tables.faults()),
        "reference/exit-codes.md": exit_codes_page(tables.exit_codes()),
        "reference/cli.md": cli_page(commands()),
    }
