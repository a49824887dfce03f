"""``cloudrun-acceptance analyze [PYTEST ARGS]``: the gate as a Cloud Deploy custom analysis check.

A canary phase's analysis (``canaryDeployment.analysis`` in the delivery pipeline) runs each
custom check's task every ``frequency`` (5 minutes at least) for the analysis's ``duration``;
a non-zero exit fails the analysis and the rollout
(https://docs.cloud.google.com/deploy/docs/analysis). Cloud Deploy documents no variables of
its own for such a task: its env is the pipeline's, templated from the system parameters of
https://docs.cloud.google.com/deploy/docs/tasks. The example pipeline
(docs/ci/clouddeploy/clouddeploy.yaml) sets CLOUD_RUN_PROJECT from ${{ project.id }},
CLOUD_RUN_SERVICE from ${{ render.metadata.cloud_run.service.name }}, CLOUD_RUN_REVISION from
${{ render.metadata.cloud_run.revision.name }}, and CLOUD_RUN_LOCATION to the Target's region,
written out (the ``location`` parameter is the region of the Cloud Deploy resource, not of the
service). TARGET_TYPE is not needed. They become the gate's --project, --region, --service and
--revision, with --canary-phase as in ``cloudrun-acceptance verify``: below 100% the phase is
judged on its users' requests against the stable revision, at 100% every check runs.

A check that runs again every few minutes never POSTs to the service: -m "not mutating"
deselects the checks that do, and a test session (--test-session, or TEST_SESSION), which only
they use, is a usage error (exit 4). The verify job is where they run.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence

from ..model.errors import ConfigError
from .jobenv import run_job, target_flags

TASKS_DOCS = "https://docs.cloud.google.com/deploy/docs/tasks"
PIPELINE = "docs/ci/clouddeploy/clouddeploy.yaml"
SESSION_FLAG = "--test-session"
NOT_MUTATING = ("-m", "not mutating")


def analyze_arguments(env: Mapping[str, str], extra: Sequence[str]) -> list[str]:
    """The gate's command line for the analysis check whose task's env is ``env``."""
    found = _session_given(env, extra)
    if found:
        raise ConfigError(
            f"{found}: an analysis check runs again every `frequency` of the analysis, so it "
            'never POSTs to the service (its mutating checks are deselected, -m "not mutating") '
            "and has no use for a test session; drop it from the custom check's task, and "
            "leave the mutating checks to the verify job (skaffold.yaml gives it "
            f"{SESSION_FLAG})."
        )
    where = (
        "the custom check's task sets them in its env from Cloud Deploy's system parameters "
        f"({TASKS_DOCS}), as {PIPELINE} does; add them to the task's env"
    )
    return [*target_flags(env, where), "--canary-phase", *NOT_MUTATING, *extra]


def _session_given(env: Mapping[str, str], extra: Sequence[str]) -> str:
    """Where a test session was given ("" when nowhere): the environment, the arguments, or
    PYTEST_ADDOPTS (which pytest reads before them)."""
    if env.get("TEST_SESSION"):
        return "TEST_SESSION is set"
    try:
        added = shlex.split(env.get("PYTEST_ADDOPTS", ""))
    except ValueError:
        added = []  # pytest itself reports the bad quoting
    for source, arguments in (("its arguments", extra), ("PYTEST_ADDOPTS", added)):
        if any(a == SESSION_FLAG or a.startswith(f"{SESSION_FLAG}=") for a in arguments):
            return f"{SESSION_FLAG} is among {source}"
    return ""


def analyze(extra: Sequence[str], env: Mapping[str, str]) -> int:
    """Run the gate as the analysis check; its exit code."""
    return run_job("analyze", __doc__, extra, lambda: analyze_arguments(env, extra))
