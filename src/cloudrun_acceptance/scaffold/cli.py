"""``cloudrun-acceptance``: the command line beside the pytest plugin (``init``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..model.errors import ConfigError
from ..model.version import VERSION
from .init import init


def main(argv: list[str] | None = None) -> int:
    """``cloudrun-acceptance init [DIR] [--ci github|cloudbuild|none] [--force]``."""
    parser = argparse.ArgumentParser(
        prog="cloudrun-acceptance",
        description="The acceptance gate for a Cloud Run revision. The gate itself runs with "
        "pytest (pytest --help lists its options); this command sets it up in a repository.",
    )
    parser.add_argument("--version", action="version", version=f"cloudrun-acceptance {VERSION}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    scaffold = commands.add_parser(
        "init",
        help="write the gate into a repository: pytest.ini, tests/acceptance/, env.yaml, CI",
        description="Write pytest.ini, conftest.py, tests/acceptance/ (the checks and a "
        "contract.yaml to edit), env.yaml when absent, and a CI workflow. Nothing is "
        "overwritten unless --force.",
    )
    scaffold.add_argument("directory", nargs="?", default=".", type=Path, metavar="DIR")
    scaffold.add_argument(
        "--ci",
        choices=("github", "cloudbuild", "none"),
        default="github",
        help="the CI workflow to write: .github/workflows/cloudrun-acceptance.yml (github, the "
        "default), cloudbuild-acceptance.yaml (cloudbuild), or none",
    )
    scaffold.add_argument("--force", action="store_true", help="overwrite files that exist")
    args = parser.parse_args(argv)
    try:
        done = init(args.directory, ci=args.ci, force=args.force)
    except ConfigError as err:
        print(f"cloudrun-acceptance init: {err}", file=sys.stderr)
        return 1
    where = args.directory
    for path in done.written:
        print(f"wrote {path}")
    for path in done.kept:
        print(f"kept  {path} (it exists; the gate compares the revision with it)")
    here = "" if str(where) == "." else f"cd {where} && "
    print(
        "\nNext:\n"
        f"  {here}pytest --sandbox\n"
        "      the gate against its embedded sandbox: every check passes\n"
        "  pytest --project=PROJECT --region=REGION --service=SERVICE\n"
        "      your service, once tests/acceptance/contract.yaml and env.yaml describe it"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
