"""``cloudrun-acceptance verify [PYTEST ARGS]``: the gate as a Cloud Deploy verify job.

Cloud Deploy gives a verify job's container the target's service and revision in environment
variables, documented at https://docs.cloud.google.com/deploy/docs/hooks ("Available
environment variables"): CLOUD_RUN_PROJECT, CLOUD_RUN_LOCATION, CLOUD_RUN_SERVICE and
CLOUD_RUN_REVISION for a target whose TARGET_TYPE is RUN. They become the gate's --project,
--region, --service and --revision, with --canary-phase: at a canary phase below 100% the phase
is judged on its users' requests, and at 100% (the stable phase, or a standard deploy) every
check runs. The job's exit code is the verification: 0 passes it, anything else fails the
rollout. The phase's share is read from the Cloud Run Admin API, never taken from a variable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..model.errors import ConfigError
from .jobenv import run_job, target_flags

DOCS = "https://docs.cloud.google.com/deploy/docs/hooks"


def verify_arguments(env: Mapping[str, str], extra: Sequence[str]) -> list[str]:
    """The gate's command line for the verify job Cloud Deploy describes in ``env``."""
    kind = env.get("TARGET_TYPE")
    if kind != "RUN":
        found = f"TARGET_TYPE={kind}" if kind else "TARGET_TYPE is not set"
        raise ConfigError(
            f"{found}: the gate verifies a Cloud Run target (TARGET_TYPE=RUN, set by Cloud "
            f"Deploy in a verify job, see {DOCS}); outside one, run pytest with --project, "
            "--region and --service."
        )
    where = (
        f"Cloud Deploy sets them in the verify job of a Cloud Run target ({DOCS}); check the "
        "job's environment"
    )
    return [*target_flags(env, where), "--canary-phase", *extra]


def verify(extra: Sequence[str], env: Mapping[str, str]) -> int:
    """Run the gate as the verify job; its exit code."""
    return run_job("verify", __doc__, extra, lambda: verify_arguments(env, extra))
