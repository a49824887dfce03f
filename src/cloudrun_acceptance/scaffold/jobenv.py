"""The gate run as a Cloud Deploy job's container: the Cloud Run target read from the job's
environment, once for both ``cloudrun-acceptance verify`` (a verify job, verify.py) and
``cloudrun-acceptance analyze`` (a custom analysis check, analyze.py).

CLOUD_RUN_PROJECT, CLOUD_RUN_LOCATION, CLOUD_RUN_SERVICE and CLOUD_RUN_REVISION become the
gate's --project, --region, --service and --revision. A missing one is a usage error (exit 4,
pytest's own code for one) that names it, the page that says who sets it, and the fix; the
job's exit code is otherwise pytest's, which Cloud Deploy reads as the job's verdict.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable, Mapping, Sequence

from ..model.errors import ConfigError

VARIABLES = (
    ("CLOUD_RUN_PROJECT", "--project"),
    ("CLOUD_RUN_LOCATION", "--region"),
    ("CLOUD_RUN_SERVICE", "--service"),
    ("CLOUD_RUN_REVISION", "--revision"),
)
USAGE_ERROR = 4  # pytest's own exit code for a usage error
OUTSIDE = "or run pytest with --project, --region, --service and --revision"


def target_flags(env: Mapping[str, str], where: str) -> list[str]:
    """The gate's --project, --region, --service and --revision from ``env``; ``where`` says
    who sets the variables and what to check, for the error that names the missing ones."""
    missing = [name for name, _ in VARIABLES if not env.get(name)]
    if missing:
        raise ConfigError(f"{', '.join(missing)} not set: {where}, {OUTSIDE}.")
    return [f"{flag}={env[name]}" for name, flag in VARIABLES]


def run_job(
    command: str, doc: str | None, extra: Sequence[str], arguments: Callable[[], list[str]]
) -> int:
    """``cloudrun-acceptance COMMAND [PYTEST ARGS]``: its help (``doc``) for -h/--help, a usage
    error for arguments that cannot be read, else pytest's exit code for ``arguments()``."""
    if extra[:1] in (["-h"], ["--help"]):
        print(f"usage: cloudrun-acceptance {command} [PYTEST ARGS]\n\n{doc}")
        return 0
    try:
        given = arguments()
    except ConfigError as err:
        print(f"cloudrun-acceptance {command}: {err}", file=sys.stderr)
        return USAGE_ERROR
    import pytest

    # Quoted as a shell would need it, so the line printed in the job's log can be run again.
    print(f"cloudrun-acceptance {command}: pytest {shlex.join(given)}", flush=True)
    return int(pytest.main(given))
