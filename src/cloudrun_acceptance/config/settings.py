"""The one resolution of the gate's settings, into a frozen dataclass.

Precedence, highest first: command line > environment > pytest.ini > contract defaults > built-in
default. With ``--sandbox``, the sandbox's own defaults take the place of the last two for the
timeouts: the contract's describe the real service's cold start and Cloud Logging's ingestion lag,
and the sandbox has neither. Every error names the bad value, where it came from, and the fix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..model.errors import ConfigError
from ..model.service import ServiceRef
from ..model.target import Target
from .crosschecks import as_written, check_release_options
from .options import OPTIONS, OPTIONS_BY_DEST, SANDBOX_DEFAULTS, OptionSpec
from .targets import check_one_target, parse_services, place_targets
from .values import Raw, parse_value

# Built-in defaults of settings whose default may also come from the contract.
BUILTIN_DEFAULTS = {"ready_timeout": "60", "logs_timeout": "120"}
SANDBOX_DEFAULT_ORIGIN = "the sandbox's default"

TARGET_HELP = (
    "give the service to check in one of three ways:\n"
    "  --service-url=https://my-service-abc-ew.a.run.app   (or SERVICE_URL, or "
    "cloudrun_service_url in pytest.ini)\n"
    "  --project=P --region=R --service=S                  (or PROJECT_ID, REGION, SERVICE_NAME: "
    "resolved through the Cloud Run Admin API)\n"
    "  --sandbox                                           (the embedded reference deployment on "
    "127.0.0.1)"
)


@dataclass(frozen=True)
class Sources:
    """Where raw setting values come from: the command line, the environment and the ini file."""

    cli: Mapping[str, object]
    env: Mapping[str, str]
    ini: Mapping[str, str]
    cwd: Path
    rootdir: Path
    inifile: Path | None = None
    # Where each ``ini`` value was read from, as written: ``cloudrun_project (in pytest.ini)``,
    # the bare ``project (in pytest.ini)``, or ``-o project``; the option's ini key when absent.
    ini_origins: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Every setting of one run, resolved once; ``origins`` says where each value came from."""

    service_url: str | None = None
    project: str | None = None
    region: str | None = None
    service: str | None = None
    # One service in several regions (--service=REGION/SERVICE,...): the targets after the
    # first (whose region and name are ``region`` and ``service``), as (region, service).
    more_targets: tuple[tuple[str, str], ...] = ()
    revision: str | None = None
    tag: str | None = None
    baseline_tag: str | None = None
    promote: bool = False
    # --rollout: the shares in turn; () for the contract's; None without the flag.
    rollout: tuple[int, ...] | None = None
    rollout_anyway: bool = False
    canary_phase: bool = False
    rollback_on_failure: bool = False
    sandbox: bool = False
    sandbox_faults: tuple[str, ...] = ()
    sandbox_analysis_seconds: float = 1.0
    test_session: str | None = None
    contract: Path = Path("tests/acceptance/contract.yaml")
    env_file: Path = Path("env.yaml")
    reports_dir: Path = Path("reports")
    preflight: Path | None = None
    ready_timeout: float = 60.0
    logs_timeout: float = 120.0
    cloudrun_endpoint: str | None = None
    logging_endpoint: str | None = None
    monitoring_endpoint: str | None = None
    auth: str = "none"
    token_env: str = "SERVICE_TOKEN"
    inconclusive: str = "fail"
    origins: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def target_requested(self) -> bool:
        """True when the run names a service to check, in any of the three ways."""
        return self.sandbox or self.service_url is not None or self.service_ref is not None

    @property
    def service_ref(self) -> ServiceRef | None:
        """The Cloud Run service, when project, region and service are all known (the first
        target's, with several)."""
        if self.project and self.region and self.service:
            return ServiceRef(self.project, self.region, self.service)
        return None

    @property
    def service_refs(self) -> tuple[ServiceRef, ...]:
        """Every target's service: one, or one per region checked all or none."""
        first = self.service_ref
        if first is None:
            return ()
        more = (ServiceRef(first.project, region, name) for region, name in self.more_targets)
        return (first, *more)


def pick(
    spec: OptionSpec, sources: Sources, defaults: Sequence[tuple[str, Mapping[str, str]]] = ()
) -> Raw | None:
    """The highest-precedence raw value of one setting, or None when nothing sets it.

    ``defaults`` are the layers under the ini file, highest first, each with its origin.
    """
    given = sources.cli.get(spec.dest)
    if given is not None and given is not False and given != []:
        value = ",".join(map(str, given)) if isinstance(given, list) else str(given)
        return Raw(value, f"{spec.flag} (command line)", sources.cwd)
    if spec.env and spec.env in sources.env:
        return Raw(sources.env[spec.env], f"{spec.env} (environment)", sources.cwd)
    if spec.ini and sources.ini.get(spec.dest):
        where = sources.inifile.name if sources.inifile else "the ini file"
        origin = sources.ini_origins.get(spec.dest, f"{spec.ini_key} (in {where})")
        return Raw(sources.ini[spec.dest], origin, sources.rootdir)
    for origin, layer in defaults:
        if spec.dest in layer:
            return Raw(layer[spec.dest], origin, sources.rootdir)
    if spec.default is not None:
        return Raw(spec.default, "default", sources.rootdir)
    return None


def resolve_settings(
    sources: Sources, contract_defaults: Mapping[str, str] | None = None
) -> Settings:
    """Resolve and validate every setting; raise ConfigError naming value, origin and fix."""
    defaults: list[tuple[str, Mapping[str, str]]] = [
        ("contract defaults", contract_defaults or {}),
        ("default", BUILTIN_DEFAULTS),
    ]
    if pick(OPTIONS_BY_DEST["sandbox"], sources):
        defaults.insert(0, (SANDBOX_DEFAULT_ORIGIN, SANDBOX_DEFAULTS))
    raws = {spec.dest: pick(spec, sources, defaults) for spec in OPTIONS}
    values: dict[str, object] = {}
    origins: dict[str, str] = {}
    for dest, raw in raws.items():
        if raw is None:
            continue
        spec = OPTIONS_BY_DEST[dest]
        values[dest] = parse_services(raw) if dest == "service" else parse_value(spec, raw)
        origins[dest] = raw.origin
    notes = _check_target(raws, values) + _sandbox_default_note(origins)
    services = values.get("service", ())
    assert isinstance(services, tuple)
    region, service, more = place_targets(raws, services, _text(values, "region"))
    check_one_target(raws, values, more)

    def text(dest: str) -> str | None:
        return _text(values, dest)

    def number(dest: str) -> float:
        value = values[dest]
        assert isinstance(value, float)
        return value

    def path(dest: str) -> Path:
        value = values[dest]
        assert isinstance(value, Path)
        return value

    faults = values.get("sandbox_fault", ())
    assert isinstance(faults, tuple)
    return Settings(
        service_url=text("service_url"),
        project=text("project"),
        region=region,
        service=service,
        more_targets=more,
        revision=text("revision"),
        tag=text("tag"),
        baseline_tag=text("baseline_tag"),
        promote=values.get("promote") is True,
        rollout=_steps(values.get("rollout")),
        rollout_anyway=values.get("rollout_anyway") is True,
        canary_phase=values.get("canary_phase") is True,
        rollback_on_failure=values.get("rollback_on_failure") is True,
        sandbox=values.get("sandbox") is True,
        sandbox_faults=faults,
        sandbox_analysis_seconds=number("sandbox_analysis_seconds"),
        test_session=text("test_session"),
        contract=path("contract"),
        env_file=path("env_file"),
        reports_dir=path("reports_dir"),
        preflight=path("preflight") if "preflight" in values else None,
        ready_timeout=number("ready_timeout"),
        logs_timeout=number("logs_timeout"),
        cloudrun_endpoint=text("cloudrun_endpoint"),
        logging_endpoint=text("logging_endpoint"),
        monitoring_endpoint=text("monitoring_endpoint"),
        auth=text("auth") or "none",
        token_env=text("token_env") or "SERVICE_TOKEN",
        inconclusive=text("inconclusive") or "fail",
        origins=origins,
        notes=notes,
    )


def _text(values: Mapping[str, object], dest: str) -> str | None:
    value = values.get(dest)
    return value if isinstance(value, str) else None


def _steps(value: object) -> tuple[int, ...] | None:
    if value is None:
        return None
    assert isinstance(value, tuple)
    return value


def target_from_settings(settings: Settings) -> Target:
    """The target as the settings name it, before any Admin API lookup."""
    origin = settings.origins.get("service_url", "")
    return Target(
        url=settings.service_url,
        url_origin=origin or ("Cloud Run Admin API" if settings.service_ref else ""),
        project=settings.project,
        region=settings.region,
        service=settings.service,
        revision=settings.revision,
        tag=settings.tag,
        revision_origin=settings.origins.get("revision", ""),
        cloudrun_endpoint=settings.cloudrun_endpoint,
        logging_endpoint=settings.logging_endpoint,
        monitoring_endpoint=settings.monitoring_endpoint,
        test_session=settings.test_session,
        session_origin=settings.origins.get("test_session", ""),
    )


def _sandbox_default_note(origins: Mapping[str, str]) -> tuple[str, ...]:
    shortened = [
        f"{OPTIONS_BY_DEST[dest].flag}={SANDBOX_DEFAULTS[dest]}"
        for dest in SANDBOX_DEFAULTS
        if origins.get(dest) == SANDBOX_DEFAULT_ORIGIN
    ]
    if not shortened:
        return ()
    return (
        f"{' and '.join(shortened)} by default with --sandbox (no real cold start, no log "
        "ingestion lag); give the option to change it",
    )


def _check_target(raws: Mapping[str, Raw | None], values: dict[str, object]) -> tuple[str, ...]:
    """Cross-checks between the target options; returns notes for the header."""
    notes: list[str] = []
    sandbox, url = raws["sandbox"], raws["service_url"]
    if sandbox and url:
        if url.origin.endswith("(command line)"):
            raise ConfigError(
                f"--sandbox and --service-url={url.value} were both given; the sandbox is its own "
                "service. Drop one of them."
            )
        notes.append(f"{url.origin} ignored: --sandbox given on the command line")
        del values["service_url"]
    ref_names = ("project", "region", "service")
    given = [name for name in ref_names if raws[name]]
    services = values.get("service", ())
    assert isinstance(services, tuple)
    if "region" not in given and any(region for region, _ in services):
        given.insert(1, "region")  # each --service=REGION/SERVICE gives its own
    if sandbox and given:
        for name in (name for name in given if raws[name]):
            origin = raws[name].origin  # type: ignore[union-attr]
            if origin.endswith("(command line)"):
                raise ConfigError(
                    f"--sandbox and --{name} were both given; the sandbox describes its own "
                    "deployment. Drop --project/--region/--service, or --sandbox."
                )
            notes.append(f"{origin} ignored: --sandbox given on the command line")
            del values[name]
    elif given and len(given) < len(ref_names):
        missing = [f"--{name}" for name in ref_names if name not in given]
        first = raws[given[0]]
        assert first is not None
        raise ConfigError(
            f"{first.value!r} from {first.origin} needs {' and '.join(missing)} too: the Admin "
            "API finds a service by project, region and name. Give all three (or PROJECT_ID, "
            "REGION, SERVICE_NAME)."
        )
    for name, why in (
        ("revision", "the revision is read from the Cloud Run Admin API"),
        ("tag", "the tag and its URL are read from the Cloud Run Admin API"),
        ("baseline_tag", "the stable revision and its tag are read from the Cloud Run Admin API"),
        ("promote", "there is no service to change with --service-url alone"),
        ("rollout", "there is no service to change with --service-url alone"),
        ("canary_phase", "the phase's split is read from the Cloud Run Admin API"),
        ("rollback_on_failure", "there is no service to change with --service-url alone"),
    ):
        raw = raws[name]
        if raw and values.get(name) is not False and not given and not sandbox:
            shown = as_written(OPTIONS_BY_DEST[name], raw)
            raise ConfigError(
                f"{shown} from {raw.origin} needs --project, --region and --service (or "
                f"PROJECT_ID, REGION, SERVICE_NAME): {why}."
            )
    check_release_options(raws, values)
    faults = raws["sandbox_fault"]
    if faults and not sandbox:
        raise ConfigError(
            f"--sandbox-fault={faults.value} only applies with --sandbox; add --sandbox."
        )
    return tuple(notes)
