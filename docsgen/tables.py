"""The gate's own tables, read into plain rows for the reference pages.

The option table is read field by field (``dataclasses.fields``), so a field added to
``OptionSpec`` (a help group, an ini key of its own, an old name kept for a while) reaches the
pages without a change here: the fields named in ``OPTION_COLUMNS`` have their own column, every
other one is listed under the option's help.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from cloudrun_acceptance.config.options import OPTIONS
from cloudrun_acceptance.plugin import collection
from cloudrun_acceptance.sandbox import FAULTS
from cloudrun_acceptance.scaffold.jobenv import VARIABLES

# The fields of OptionSpec the options page shows in columns of their own (any other field is
# shown as "field: value" under the help); ``ini``, ``ini_key`` and ``ini_name`` give the key.
OPTION_COLUMNS = (
    "dest",
    "flag",
    "help",
    "env",
    "ini",
    "ini_key",
    "ini_name",
    "metavar",
    "default",
    "kind",
    "choices",
)
# A field that says which group of ``pytest --help`` the option is in: the page groups by it.
GROUP_FIELDS = ("group",)


@dataclass(frozen=True)
class Option:
    """One row of the option table, as the pages show it."""

    flag: str
    value: str
    env: str
    ini_key: str
    default: str
    help: str
    group: str
    extra: tuple[tuple[str, str], ...]
    # The ini key's earlier name, still read with a warning ("" when none).
    old_ini_key: str = ""


def options() -> list[Option]:
    """Every option of ``config.options.OPTIONS``, in the table's order."""
    return [_option(spec) for spec in OPTIONS]


def _option(spec: object) -> Option:
    values = {field.name: getattr(spec, field.name) for field in dataclasses.fields(spec)}  # type: ignore[arg-type]
    group = next((str(values[name]) for name in GROUP_FIELDS if values.get(name)), "")
    extra = tuple(
        (name, _shown(value))
        for name, value in values.items()
        if name not in OPTION_COLUMNS
        and name not in GROUP_FIELDS
        and value not in (None, "", (), False)
    )
    return Option(
        flag=str(values["flag"]),
        value=_takes(values),
        env=str(values.get("env") or ""),
        ini_key=ini_key(spec),
        old_ini_key=str(getattr(spec, "old_ini_key", None) or "") if ini_key(spec) else "",
        default=str(values.get("default") or ""),
        help=_plain(str(values["help"])),
        group=group,
        extra=extra,
    )


def _takes(values: dict[str, object]) -> str:
    """What the option takes: nothing (a flag), one of its choices, or its metavar."""
    kind = values.get("kind")
    if kind == "flag":
        return ""
    choices = values.get("choices")
    if isinstance(choices, tuple) and choices:
        return "{" + ",".join(str(choice) for choice in choices) + "}"
    metavar = str(values.get("metavar") or str(values["dest"]).upper())
    return f"{metavar} (repeatable)" if kind == "multi" else metavar


def ini_key(spec: object) -> str:
    """The option's pytest.ini key, or "" when it has none (``ini`` false: command line only)."""
    if getattr(spec, "ini", False) is not True:
        return ""
    return str(getattr(spec, "ini_key", "") or getattr(spec, "dest", ""))


def _plain(help_text: str) -> str:
    """argparse's help, as a reader sees it (``%%`` is how argparse writes a ``%``)."""
    return help_text.replace("%%", "%")


def _shown(value: object) -> str:
    if isinstance(value, tuple | list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@dataclass(frozen=True)
class Variable:
    """An environment variable the gate (or a tool it calls) reads, and what for."""

    name: str
    what: str


# Variables no option names: the Cloud Deploy job's (besides ``VARIABLES``), the CI summary,
# and the certificate bundles of the three HTTP stacks the gate talks through.
OTHER_VARIABLES = (
    Variable(
        "TARGET_TYPE",
        "set by Cloud Deploy for a verify job; `cloudrun-acceptance verify` needs `RUN`",
    ),
    Variable("GITHUB_STEP_SUMMARY", "set by GitHub Actions: the markdown report is appended to it"),
    Variable(
        "SSL_CERT_FILE",
        (
            "a CA bundle (PEM) the gate trusts for the service's https URL (httpx) instead of "
            "certifi's public CAs, such as a copy of certifi's bundle with a company's CA "
            "appended; `SSL_CERT_DIR`, a folder of hashed certificates, when it is not set"
        ),
    ),
    Variable(
        "REQUESTS_CA_BUNDLE",
        (
            "a CA bundle for the Admin API and Cloud Logging calls instead of certifi's "
            "(google-auth and the clients' REST transport use requests)"
        ),
    ),
    Variable(
        "HTTPLIB2_CA_CERTS",
        (
            "a CA bundle for the Cloud Monitoring calls instead of certifi's "
            "(google-api-python-client uses httplib2)"
        ),
    ),
    Variable(
        "GOOGLE_APPLICATION_CREDENTIALS",
        (
            "a service account key file for the Google API calls (Application Default "
            "Credentials); a workstation uses `gcloud auth application-default login` instead"
        ),
    ),
    Variable("PYTEST_ADDOPTS", "pytest's own: options added to every run, the gate's included"),
)


def variables() -> list[Variable]:
    """Every environment variable: the options' (with the option each stands for), the bearer
    token's default variable, the Cloud Deploy job's, and the others."""
    found = [
        Variable(option.env, f"`{option.flag}`: {option.help}")
        for option in options()
        if option.env
    ]
    token = next((spec for spec in OPTIONS if spec.dest == "token_env"), None)
    if token is not None and token.default:
        found.append(
            Variable(
                token.default,
                "the bearer token for `--auth=bearer` (`--token-env` names another variable)",
            )
        )
    found += [
        Variable(name, f"set by Cloud Deploy for a job (`verify`, `analyze`): becomes `{flag}`")
        for name, flag in VARIABLES
    ]
    return found + list(OTHER_VARIABLES)


@dataclass(frozen=True)
class Fixture:
    """A fixture a team's check may ask for: its name, scope, docstring and module's group."""

    name: str
    scope: str
    doc: str
    group: str


FIXTURE_MODULE_PREFIX = "fixtures"


def fixture_modules() -> Iterator[object]:
    """The plugin's fixture modules (``plugin/fixtures*.py``), in name order."""
    from cloudrun_acceptance import plugin

    for info in sorted(pkgutil.iter_modules(plugin.__path__), key=lambda info: info.name):
        if info.name.startswith(FIXTURE_MODULE_PREFIX):
            yield importlib.import_module(f"cloudrun_acceptance.plugin.{info.name}")


def fixtures() -> list[Fixture]:
    """The public fixtures (the ``_``-prefixed ones are the plugin's own), by module."""
    found = []
    for module in fixture_modules():
        group = (inspect.getdoc(module) or "").split("\n\n")[0].replace("\n", " ")
        for name, value in vars(module).items():
            if type(value).__name__ != "FixtureFunctionDefinition" or name.startswith("_"):
                continue
            marker = getattr(value, "_fixture_function_marker", None)
            scope = str(getattr(marker, "scope", "function"))
            found.append(Fixture(name, scope, inspect.getdoc(value) or "", group))
    return found


def parametrized_fixtures() -> dict[str, str]:
    """The fixtures a check takes a case of (one test per value), and what no case means."""
    return dict(collection.CASES)


@dataclass(frozen=True)
class FaultRow:
    """A fault profile: name, whom it applies to, and the deployment it makes."""

    name: str
    scope: str
    summary: str


def faults() -> list[FaultRow]:
    """Every fault profile of ``sandbox.FAULTS``, in the table's order."""
    return [FaultRow(name, fault.scope, fault.summary) for name, fault in FAULTS.items()]


# What each of pytest's exit codes means for the gate (pytest.ExitCode names them).
EXIT_MEANINGS = {
    "OK": "the revision is good: every check passed (or was skipped with its reason)",
    "TESTS_FAILED": (
        "checks failed or errored, or the run was inconclusive; the report says which and what to "
        "do"
    ),
    "INTERRUPTED": (
        "the run was interrupted (Ctrl-C, or SIGTERM as a cancelled CI job sends it); the reports "
        "are written, and an interrupted rollout says where it left the traffic"
    ),
    "INTERNAL_ERROR": "an internal error of pytest or the gate",
    "USAGE_ERROR": (
        "a bad option, environment variable, contract or env.yaml: the message names the value, "
        "where it came from and the fix; nothing was checked"
    ),
    "NO_TESTS_COLLECTED": "no check was collected (a `-k` that matches nothing, a wrong path)",
    "MAX_WARNINGS_ERROR": "pytest's `--max-warnings` was exceeded (pytest 9)",
}


@dataclass(frozen=True)
class ExitCode:
    """An exit code, its pytest name and what it means for the gate."""

    code: int
    name: str
    meaning: str


def exit_codes() -> list[ExitCode]:
    """pytest's exit codes, each with what it means for the gate."""
    return [
        ExitCode(int(code), code.name, EXIT_MEANINGS.get(code.name, "pytest's own"))
        for code in pytest.ExitCode
    ]
