"""The gate's options: one table drives ``addoption``, ``addini`` and the settings resolution.

Each help text lives here once, so the command line, the ini key and the README cannot drift.
Each option belongs to a group (``pytest --help`` shows one section per group); its ini key is
its name with the ``cloudrun_`` prefix (``cloudrun_project``), since pytest reads only the
[pytest] section and a bare ``project`` says nothing of whose key it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "seconds", "flag", "multi", "choice", "path", "steps"]
Group = Literal["target", "checks", "candidate", "release", "sandbox", "reports"]

# The sections of ``pytest --help``, in this order: each group's title.
GROUPS: dict[Group, str] = {
    "target": "Cloud Run acceptance gate: the service to check and how to reach it",
    "checks": "Cloud Run acceptance gate: the contract, the test session and the deadlines",
    "candidate": "Cloud Run acceptance gate: a tagged candidate, compared with the stable revision",
    "release": "Cloud Run acceptance gate: what the gate does to traffic on its verdict",
    "sandbox": "Cloud Run acceptance gate: the embedded sandbox deployment",
    "reports": "Cloud Run acceptance gate: the reports",
}
INI_PREFIX = "cloudrun_"
# The release that drops the bare ini names (``project``), read until then with a warning.
OLD_INI_KEYS_GO = "0.3.0"


@dataclass(frozen=True, kw_only=True)
class OptionSpec:
    """One setting: its command-line flag, ini key (``dest``), environment variable and help."""

    dest: str
    flag: str
    help: str
    group: Group
    kind: Kind = "text"
    env: str | None = None
    ini: bool = True
    choices: tuple[str, ...] = ()
    default: str | None = None
    metavar: str | None = None

    @property
    def ini_key(self) -> str:
        """The ini key: ``cloudrun_project``; ``cloudrun_endpoint`` carries the prefix already."""
        return self.dest if self.dest.startswith(INI_PREFIX) else INI_PREFIX + self.dest

    @property
    def ini_type(self) -> Literal["bool", "string"]:
        """How pytest reads the ini key: a flag as a bool (true/false), the rest as text."""
        return "bool" if self.kind == "flag" else "string"

    @property
    def old_ini_key(self) -> str | None:
        """The ini key's deprecated name (the bare ``project``), when it differs."""
        return self.dest if self.dest != self.ini_key else None


# With --sandbox, these replace the contract's and the built-in timeouts: the sandbox starts in
# milliseconds (1.5 s with the cold_start fault), and its Logging API reads the service's log as
# it is written, so waiting longer only delays the verdict on a broken one.
SANDBOX_DEFAULTS = {"ready_timeout": "10", "logs_timeout": "3"}

OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec(
        dest="service_url",
        group="target",
        flag="--service-url",
        env="SERVICE_URL",
        metavar="URL",
        help="base URL of the service to check, such as https://my-service-abc-ew.a.run.app",
    ),
    OptionSpec(
        dest="project",
        group="target",
        flag="--project",
        env="PROJECT_ID",
        help="Google Cloud project of the service (with --region and --service)",
    ),
    OptionSpec(
        dest="region",
        group="target",
        flag="--region",
        env="REGION",
        help="Cloud Run region of the service, such as europe-west1",
    ),
    OptionSpec(
        dest="service",
        group="target",
        flag="--service",
        env="SERVICE_NAME",
        kind="multi",
        help="Cloud Run service name; resolves the URL and latest ready revision. As "
        "REGION/SERVICE, repeated or comma-separated, checks one service in several regions, "
        "all or none",
    ),
    OptionSpec(
        dest="revision",
        group="target",
        flag="--revision",
        help="check this revision instead of the latest ready one",
    ),
    OptionSpec(
        dest="tag",
        group="candidate",
        flag="--tag",
        metavar="NAME",
        help="check the revision that carries this traffic tag, through the tag's URL (a "
        "candidate deployed with --no-traffic --tag NAME)",
    ),
    OptionSpec(
        dest="baseline_tag",
        group="candidate",
        flag="--baseline-tag",
        metavar="NAME",
        help="reach the stable revision the candidate is compared with (compare:) at this "
        "traffic tag's URL; the gate adds the tag (UpdateService, tags only: no traffic share "
        "changes) when the revision lacks it",
    ),
    OptionSpec(
        dest="promote",
        group="release",
        flag="--promote",
        kind="flag",
        help="when every check passed, send the contract's share of traffic to the checked "
        "revision (UpdateService; needs run.services.update)",
    ),
    OptionSpec(
        dest="rollout",
        group="release",
        flag="--rollout",
        kind="steps",
        ini=False,
        metavar="STEPS",
        help="once the tagged candidate passed at 0%%, move its share of traffic in steps (such "
        "as 5,25,50,100; alone: the contract's rollout.steps), each baked and judged on the "
        "users' requests in Cloud Run's request logs; a failed step sends all traffic back to "
        "the stable revision (UpdateService; needs run.services.update and logging.viewer)",
    ),
    OptionSpec(
        dest="rollout_anyway",
        group="release",
        flag="--rollout-anyway",
        kind="flag",
        ini=False,
        help="with --rollout, roll out even when the users' traffic of the last bake is too "
        "little for a step to decide within its longest bake (the contract's "
        "rollout.on_low_traffic: proceed does the same)",
    ),
    OptionSpec(
        dest="canary_phase",
        group="candidate",
        flag="--canary-phase",
        kind="flag",
        ini=False,
        help="the revision is in a canary phase whose split another engine set (Cloud Deploy): "
        "its share is reported, not judged; below 100%% the checks of the service URL (which "
        "leads to both revisions) are skipped and the phase is judged on its users' requests "
        "against the other revision's, as a rollout step, without moving traffic",
    ),
    OptionSpec(
        dest="rollback_on_failure",
        group="release",
        flag="--rollback-on-failure",
        kind="flag",
        help="when the gate failed and the checked revision serves traffic, send it all back to "
        "the newest older Ready revision (needs run.services.update)",
    ),
    OptionSpec(
        dest="preflight",
        group="checks",
        flag="--preflight",
        kind="path",
        metavar="PATH",
        help="pre-flight checks of the service's source tree at PATH (Dockerfile, upload set, "
        "requirements, env.yaml): alone, or first",
    ),
    OptionSpec(
        dest="sandbox",
        group="sandbox",
        flag="--sandbox",
        kind="flag",
        ini=False,
        help="start the embedded reference deployment on 127.0.0.1 and check it",
    ),
    OptionSpec(
        dest="sandbox_fault",
        group="sandbox",
        flag="--sandbox-fault",
        kind="multi",
        ini=False,
        metavar="NAME",
        help="turn the sandbox into a broken deployment (repeatable); the README lists them",
    ),
    OptionSpec(
        dest="sandbox_analysis_seconds",
        group="sandbox",
        flag="--sandbox-analysis-seconds",
        kind="seconds",
        ini=False,
        default="1.0",
        metavar="SECONDS",
        help="how long the sandbox's uncached analysis takes (default 1.0)",
    ),
    OptionSpec(
        dest="test_session",
        group="checks",
        flag="--test-session",
        env="TEST_SESSION",
        metavar="ID",
        help="session id for the checks that POST to the service; without it they are skipped",
    ),
    OptionSpec(
        dest="contract",
        group="checks",
        flag="--contract",
        kind="path",
        default="tests/acceptance/contract.yaml",
        metavar="PATH",
        help="contract file (default tests/acceptance/contract.yaml, relative to the rootdir)",
    ),
    OptionSpec(
        dest="env_file",
        group="checks",
        flag="--env-file",
        kind="path",
        default="env.yaml",
        metavar="PATH",
        help="expected revision environment (default env.yaml, relative to the rootdir)",
    ),
    OptionSpec(
        dest="ready_timeout",
        group="checks",
        flag="--ready-timeout",
        kind="seconds",
        metavar="SECONDS",
        help=f"how long to wait for health to answer (cold start); default from the contract, "
        f"{SANDBOX_DEFAULTS['ready_timeout']} with --sandbox",
    ),
    OptionSpec(
        dest="logs_timeout",
        group="checks",
        flag="--logs-timeout",
        kind="seconds",
        metavar="SECONDS",
        help=f"how long to wait for log lines to be ingested; default from the contract, "
        f"{SANDBOX_DEFAULTS['logs_timeout']} with --sandbox",
    ),
    OptionSpec(
        dest="cloudrun_endpoint",
        group="target",
        flag="--cloudrun-endpoint",
        env="CLOUDRUN_API_ENDPOINT",
        metavar="URL",
        help="Cloud Run Admin API endpoint (http:// endpoints use anonymous credentials)",
    ),
    OptionSpec(
        dest="logging_endpoint",
        group="target",
        flag="--logging-endpoint",
        env="LOGGING_API_ENDPOINT",
        metavar="URL",
        help="Cloud Logging API endpoint (http:// endpoints use anonymous credentials)",
    ),
    OptionSpec(
        dest="monitoring_endpoint",
        group="target",
        flag="--monitoring-endpoint",
        env="MONITORING_API_ENDPOINT",
        metavar="URL",
        help="Cloud Monitoring API endpoint, for Cloud Run's request counts: a rollout step's, "
        "and the revision's 5xx when the logs hold more than a listing reads (http:// "
        "endpoints use anonymous credentials)",
    ),
    OptionSpec(
        dest="reports_dir",
        group="reports",
        flag="--reports-dir",
        kind="path",
        default="reports",
        metavar="DIR",
        help="where the JUnit XML and the markdown report are written (default reports/)",
    ),
    OptionSpec(
        dest="auth",
        group="target",
        flag="--auth",
        kind="choice",
        choices=("none", "bearer", "id-token"),
        default="none",
        help="how to call a private service: none, bearer (token from --token-env) or id-token",
    ),
    OptionSpec(
        dest="token_env",
        group="target",
        flag="--token-env",
        default="SERVICE_TOKEN",
        metavar="VAR",
        help="environment variable holding the bearer token (default SERVICE_TOKEN)",
    ),
    OptionSpec(
        dest="inconclusive",
        group="checks",
        flag="--inconclusive",
        kind="choice",
        choices=("fail", "skip"),
        default="fail",
        help="what an inconclusive check (a counter, a comparison with the stable revision) "
        "does to the gate: fail (default) or skip",
    ),
)

OPTIONS_BY_DEST = {spec.dest: spec for spec in OPTIONS}
