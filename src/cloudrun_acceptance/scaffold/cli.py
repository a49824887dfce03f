"""``cloudrun-acceptance``: the command line beside the pytest plugin (``init``, and the gate as
a Cloud Deploy verify job, ``verify``, or custom analysis check, ``analyze``)."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from ..model.errors import ConfigError
from ..model.service import ServiceRef
from ..model.version import VERSION
from .analyze import __doc__ as ANALYZE_DOC
from .analyze import analyze
from .families import MAX_RESCRAPE_SECONDS, RESCRAPE_SECONDS
from .init import Sources, Written, init
from .upgrade import __doc__ as UPGRADE_DOC
from .upgrade import apply, plan_upgrade
from .verify import __doc__ as VERIFY_DOC
from .verify import verify

DESCRIPTION = (
    "Write the gate into a repository: pytest.ini, tests/acceptance/contract.yaml drafted for "
    "your service (the built-in checks come from the package), env.yaml when absent, a CI "
    "workflow naming your service, and reports/ in .gitignore. --from-url reads the live "
    "service's metrics twice, a pause apart (and health, with --health-path): the families a "
    "fresh instance exposes are required, the runtime's and those that appeared late are listed "
    "commented out; --from-service reads its serving "
    "revision (env, secrets, resources, traffic) through the Cloud Run Admin API; the "
    "Dockerfile gives the pre-flight and the sandbox's command. What cannot be read is left as "
    "a <FILL IN: ...> placeholder. Nothing is overwritten unless --force, and env.yaml never is."
)


def build_parser() -> argparse.ArgumentParser:
    """The command's parser: ``init`` and ``upgrade`` with their options, ``verify`` and
    ``analyze`` (whose arguments are pytest's). The command-line reference is read from it."""
    parser = argparse.ArgumentParser(
        prog="cloudrun-acceptance",
        description="The acceptance gate for a Cloud Run revision. The gate itself runs with "
        "pytest (pytest --help lists its options); this command sets it up in a repository, "
        "and runs it as a Cloud Deploy job.",
    )
    parser.add_argument("--version", action="version", version=f"cloudrun-acceptance {VERSION}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    scaffold = commands.add_parser(
        "init", help="write the gate into a repository, drafted for your service",
        description=DESCRIPTION,
    )  # fmt: skip
    scaffold.add_argument(
        "directory", nargs="?", default=".", type=Path, metavar="DIR",
        help="the repository to write the gate into (default: the current folder)",
    )  # fmt: skip
    upgrade = commands.add_parser(
        "upgrade",
        help="bring a repository written by an earlier init to this version",
        description=UPGRADE_DOC,
    )
    upgrade.add_argument(
        "directory", nargs="?", default=".", type=Path, metavar="DIR",
        help="the repository an earlier init wrote (default: the current folder)",
    )  # fmt: skip
    upgrade.add_argument(
        "--check",
        action="store_true",
        help="only say what would change; exit 1 if anything would",
    )
    upgrade.add_argument(
        "--contract",
        type=Path,
        metavar="PATH",
        help="the contract, if not DIR/tests/acceptance/contract.yaml",
    )
    commands.add_parser(
        "verify",
        help="run the gate as a Cloud Deploy verify job (its service and revision from the "
        "job's environment); the arguments after it go to pytest",
        description=VERIFY_DOC,
        add_help=False,
    )
    commands.add_parser(
        "analyze",
        help="run the gate as a Cloud Deploy custom analysis check (its service and revision "
        "from the task's env; the mutating checks deselected); the arguments after it go to "
        "pytest",
        description=ANALYZE_DOC,
        add_help=False,
    )
    scaffold.add_argument(
        "--ci",
        choices=("github", "cloudbuild", "none"),
        default="github",
        help="the CI workflow to write: .github/workflows/cloudrun-acceptance.yml (github, the "
        "default), cloudbuild-acceptance.yaml (cloudbuild), or none",
    )
    scaffold.add_argument("--force", action="store_true", help="overwrite files that exist")
    scaffold.add_argument(
        "--example",
        action="store_true",
        help="write the example's gate (its contract and env.yaml, for the sandbox's reference "
        "service) instead of a draft for your service",
    )
    read = scaffold.add_argument_group("reading the live service")
    read.add_argument("--from-url", metavar="URL", help="the service's URL: read its metrics")
    read.add_argument("--health-path", metavar="PATH", help="with --from-url: read its health")
    read.add_argument(
        "--metrics-path",
        metavar="PATH",
        default="/metrics",
        help="with --from-url: the path of its metrics (default /metrics)",
    )
    read.add_argument(
        "--rescrape-after",
        metavar="SECONDS",
        type=float,
        help="with --from-url: scrape the metrics again after SECONDS (default "
        f"{RESCRAPE_SECONDS:g}; 0: once) and leave the families that appeared late out of the "
        "required ones",
    )
    read.add_argument(
        "--from-service",
        action="store_true",
        help="read the serving revision through the Admin API (with --project/--region/--service)",
    )
    read.add_argument("--project", help="with --from-service: the Google Cloud project")
    read.add_argument("--region", help="with --from-service: the service's region")
    read.add_argument("--service", help="with --from-service: the Cloud Run service")
    read.add_argument(
        "--cloudrun-endpoint",
        metavar="URL",
        help="another Admin API endpoint (the sandbox's; http:// uses anonymous credentials)",
    )
    return parser


def _sources(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Sources:
    named = [args.project, args.region, args.service]
    if args.from_service and not all(named):
        parser.error("--from-service needs --project, --region and --service")
    if any(named) and not args.from_service:
        parser.error("--project, --region and --service go with --from-service")
    if args.health_path and not args.from_url:
        parser.error("--health-path goes with --from-url")
    pause = RESCRAPE_SECONDS if args.rescrape_after is None else args.rescrape_after
    if args.rescrape_after is not None and not args.from_url:
        parser.error("--rescrape-after goes with --from-url")
    if not 0 <= pause <= MAX_RESCRAPE_SECONDS:
        parser.error(
            f"--rescrape-after {pause:g} is out of range: give 0 (one scrape) to "
            f"{MAX_RESCRAPE_SECONDS:g} seconds"
        )
    for option, path in (
        ("--health-path", args.health_path),
        ("--metrics-path", args.metrics_path),
    ):
        if path is not None and not path.startswith("/"):
            parser.error(f"{option} {path!r} is not a path; start it with /, such as /healthz")
    if args.example and (args.from_url or args.from_service):
        parser.error("--example writes the example's gate; it reads nothing (drop --from-*)")
    return Sources(
        url=args.from_url,
        health_path=args.health_path,
        metrics_path=args.metrics_path,
        rescrape_after=pause,
        service=ServiceRef(args.project, args.region, args.service) if args.from_service else None,
        endpoint=args.cloudrun_endpoint,
    )


def main(argv: list[str] | None = None) -> int:
    """``cloudrun-acceptance init [DIR] [--from-url URL] [--from-service ...] [--ci ...]``, or
    ``cloudrun-acceptance verify|analyze [PYTEST ARGS]`` (their arguments are pytest's, so
    they are passed on before argparse could refuse them)."""
    given = sys.argv[1:] if argv is None else argv
    if given[:1] == ["verify"]:
        return verify(given[1:], os.environ)
    if given[:1] == ["analyze"]:
        return analyze(given[1:], os.environ)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "upgrade":
        return _upgrade(args.directory, args.contract, check=args.check)
    sources = _sources(parser, args)
    try:
        done = init(
            args.directory, ci=args.ci, force=args.force, example=args.example, sources=sources
        )
    except ConfigError as err:
        print(f"cloudrun-acceptance init: {err}", file=sys.stderr)
        return 1
    _print(done, args.directory)
    return 0


ORDER = ("remove", "write", "keep")


def _upgrade(directory: Path, contract: Path | None, *, check: bool) -> int:
    """Print the plan (``check``: only that), then make it. 1 from ``--check`` when there is
    anything to change, as a formatter's check does, and from either while an edited copy
    remains for the team to move."""
    try:
        plan = plan_upgrade(directory, contract)
    except ConfigError as err:
        print(f"cloudrun-acceptance upgrade: {err}", file=sys.stderr)
        return 1
    verbs = {"remove": "removed", "write": "wrote  ", "keep": "kept   "}
    if check:
        verbs = {"remove": "would remove", "write": "would write ", "keep": "keeps       "}
    for change in sorted(plan.changes, key=lambda change: ORDER.index(change.action)):
        print(f"{verbs[change.action]} {_shown(change.path, directory)}: {change.why}")
    command = shlex.join(
        ["cloudrun-acceptance", "upgrade", str(directory)]
        + (["--contract", str(contract)] if contract is not None else [])
    )
    hands = len(plan.by_hand)
    by_hand = f"{hands} edited cop{'y' if hands == 1 else 'ies'} to move by hand (above)"
    if not plan.pending:
        if hands:
            print(f"Nothing else to change; {by_hand}, then run {command} again.")
            return 1
        print(f"Nothing to change: {directory} is written for cloudrun-acceptance {VERSION}.")
        return 0
    if check:
        more = f", and {by_hand}" if hands else ""
        print(f"{len(plan.pending)} file(s) to change: run {command}{more}")
        return 1
    apply(plan)
    if hands:
        print(f"\nLeft: {by_hand}; until then the gate runs them, and they fail.")
        return 1
    print(
        "\nNext: run the gate as before (pytest --sandbox, or your CI's command); its built-in "
        "checks come from the package now."
    )
    return 0


def _shown(path: Path, directory: Path) -> Path:
    """``path`` as seen from ``directory`` when it lies inside."""
    where = directory.resolve()
    found = path.resolve()
    return found.relative_to(where) if found.is_relative_to(where) else path


def _print(done: Written, where: Path) -> None:
    for path in done.written:
        print(f"wrote {path}")
    for path in done.kept:
        print(f"kept  {path} (it exists; the gate compares the revision with it)")
    for line in done.read:
        print(line)
    if done.fill_in:
        print("\nLeft to fill in (each is a <FILL IN: ...> placeholder):")
        print("\n".join(f"  {line}" for line in done.fill_in))
    elsewhere = str(where) != "."
    print("\nNext:")
    first = True
    for command, what in done.next_steps:
        if command.startswith("edit "):
            shown = f"edit {where / command.removeprefix('edit ')}" if elsewhere else command
        else:
            shown = f"cd {where} && {command}" if first and elsewhere else command
            first = False
        print(f"  {shown}\n      {what}")


if __name__ == "__main__":
    sys.exit(main())
