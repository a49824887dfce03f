"""The one resolution of the gate's settings, into a frozen dataclass.

Precedence, highest first: command line > environment > pytest.ini > contract defaults > built-in
default. With ``--sandbox``, the sandbox's own defaults take the place of the last two for the
timeouts: the contract's describe the real service's cold start and Cloud Logging's ingestion lag,
and the sandbox has neither. Every error names the bad value, where it came from, and the fix.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import httpx
import pytest

from .options import OPTIONS, OPTIONS_BY_DEST, SANDBOX_DEFAULTS, OptionSpec
from .sandbox.faults import FAULTS

_HOST = re.compile(r"[A-Za-z0-9._-]+|[0-9a-fA-F:.]+")
# Built-in defaults of settings whose default may also come from the contract.
BUILTIN_DEFAULTS = {"ready_timeout": "60", "logs_timeout": "120"}
SANDBOX_DEFAULT_ORIGIN = "the sandbox's default"

TARGET_HELP = (
    "give the service to check in one of three ways:\n"
    "  --service-url=https://my-service-abc-ew.a.run.app   (or SERVICE_URL, or service_url in "
    "pytest.ini)\n"
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


@dataclass(frozen=True)
class Raw:
    """One raw value and a phrase naming its origin, for error messages and the report."""

    value: str
    origin: str
    relative_to: Path


@dataclass(frozen=True)
class ServiceRef:
    """A Cloud Run service by project, region and name."""

    project: str
    region: str
    service: str

    @property
    def name(self) -> str:
        """The Admin API resource name."""
        return f"projects/{self.project}/locations/{self.region}/services/{self.service}"


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Every setting of one run, resolved once; ``origins`` says where each value came from."""

    service_url: str | None = None
    project: str | None = None
    region: str | None = None
    service: str | None = None
    revision: str | None = None
    sandbox: bool = False
    sandbox_faults: tuple[str, ...] = ()
    sandbox_analysis_seconds: float = 1.0
    test_session: str | None = None
    contract: Path = Path("tests/acceptance/contract.yaml")
    env_file: Path = Path("env.yaml")
    reports_dir: Path = Path("reports")
    ready_timeout: float = 60.0
    logs_timeout: float = 120.0
    cloudrun_endpoint: str | None = None
    logging_endpoint: str | None = None
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
        """The Cloud Run service, when project, region and service are all known."""
        if self.project and self.region and self.service:
            return ServiceRef(self.project, self.region, self.service)
        return None


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
        return Raw(sources.ini[spec.dest], f"{spec.dest} (in {where})", sources.rootdir)
    for origin, layer in defaults:
        if spec.dest in layer:
            return Raw(layer[spec.dest], origin, sources.rootdir)
    if spec.default is not None:
        return Raw(spec.default, "default", sources.rootdir)
    return None


def resolve_settings(
    sources: Sources, contract_defaults: Mapping[str, str] | None = None
) -> Settings:
    """Resolve and validate every setting; raise UsageError naming value, origin and fix."""
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
        values[dest] = _parse(OPTIONS_BY_DEST[dest], raw, sources)
        origins[dest] = raw.origin
    notes = _check_target(raws, values) + _sandbox_default_note(origins)

    def text(dest: str) -> str | None:
        value = values.get(dest)
        return value if isinstance(value, str) else None

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
        region=text("region"),
        service=text("service"),
        revision=text("revision"),
        sandbox=values.get("sandbox") is True,
        sandbox_faults=faults,
        sandbox_analysis_seconds=number("sandbox_analysis_seconds"),
        test_session=text("test_session"),
        contract=path("contract"),
        env_file=path("env_file"),
        reports_dir=path("reports_dir"),
        ready_timeout=number("ready_timeout"),
        logs_timeout=number("logs_timeout"),
        cloudrun_endpoint=text("cloudrun_endpoint"),
        logging_endpoint=text("logging_endpoint"),
        auth=text("auth") or "none",
        token_env=text("token_env") or "SERVICE_TOKEN",
        inconclusive=text("inconclusive") or "fail",
        origins=origins,
        notes=notes,
    )


def _parse(spec: OptionSpec, raw: Raw, sources: Sources) -> object:
    if spec.kind == "flag":
        return raw.value.lower() in {"1", "true", "yes", "on"}
    if spec.kind == "multi":
        return _parse_faults(raw)
    if spec.kind == "seconds":
        return parse_seconds(raw, spec.flag)
    if spec.kind == "path":
        if not raw.value.strip():
            _bad(raw, "is empty", "give a path")
        return raw.relative_to / raw.value
    if spec.kind == "choice":
        if raw.value not in spec.choices:
            _bad(
                raw,
                "is not one of " + ", ".join(spec.choices),
                f"use {spec.flag}={spec.choices[0]}",
            )
        return raw.value
    if spec.dest == "service_url":
        return parse_service_url(raw)
    if spec.dest.endswith("_endpoint"):
        return parse_endpoint(raw)
    if not raw.value.strip():
        from_env = spec.env is not None and raw.origin.startswith(spec.env)
        _bad(raw, "is empty", f"give a value, or unset {spec.env}" if from_env else "give a value")
    if any(ch.isspace() for ch in raw.value) or "/" in raw.value:
        _bad(raw, "contains spaces or '/'", f"give the bare name, such as {spec.flag}=my-name")
    return raw.value


def _bad(raw: Raw, problem: str, fix: str) -> NoReturn:
    raise pytest.UsageError(f"{raw.value!r} from {raw.origin} {problem}; {fix}.")


def parse_seconds(raw: Raw, flag: str) -> float:
    """A non-negative, finite number of seconds."""
    try:
        seconds = float(raw.value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        _bad(raw, "is not a number of seconds >= 0", f"give one, such as {flag}=60")
    return seconds


def parse_service_url(raw: Raw) -> str:
    """An absolute http(s) URL with a host; returned without a trailing slash."""
    example = "such as --service-url=https://my-service-abc-ew.a.run.app"
    try:
        url = httpx.URL(raw.value.strip())
    except httpx.InvalidURL as err:
        raise pytest.UsageError(
            f"{raw.value!r} from {raw.origin} is not a URL ({err}); give one, {example}."
        ) from err
    if url.scheme not in {"http", "https"} or not url.host:
        _bad(raw, "needs a scheme (https://) and a host", f"give a full URL, {example}")
    if not _HOST.fullmatch(url.host):
        _bad(raw, f"has an invalid host {url.host!r}", f"give a full URL, {example}")
    if url.query or url.fragment:
        _bad(raw, "has a query or fragment", "give the service's base URL only")
    return str(url).rstrip("/")


def parse_endpoint(raw: Raw) -> str:
    """An API endpoint: ``host[:port]`` or an http(s) URL without a path."""
    value = raw.value.strip()
    probe = value if "://" in value else f"https://{value}"
    try:
        url = httpx.URL(probe)
    except httpx.InvalidURL:
        url = httpx.URL("invalid://")
    if url.scheme not in {"http", "https"} or not url.host or url.path not in {"", "/"}:
        _bad(
            raw,
            "is not an API endpoint",
            "give host[:port] or http(s)://host[:port], without a path",
        )
    return value.rstrip("/")


def _parse_faults(raw: Raw) -> tuple[str, ...]:
    names = tuple(name.strip() for name in raw.value.split(",") if name.strip())
    unknown = [name for name in names if name not in FAULTS]
    if unknown:
        known = ", ".join(sorted(FAULTS))
        raise pytest.UsageError(
            f"unknown sandbox fault {unknown[0]!r} from {raw.origin}; known faults: {known}."
        )
    return names


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
            raise pytest.UsageError(
                f"--sandbox and --service-url={url.value} were both given; the sandbox is its own "
                "service. Drop one of them."
            )
        notes.append(f"{url.origin} ignored: --sandbox given on the command line")
        del values["service_url"]
    ref_names = ("project", "region", "service")
    given = [name for name in ref_names if raws[name]]
    if sandbox and given:
        for name in given:
            origin = raws[name].origin  # type: ignore[union-attr]
            if origin.endswith("(command line)"):
                raise pytest.UsageError(
                    f"--sandbox and --{name} were both given; the sandbox describes its own "
                    "deployment. Drop --project/--region/--service, or --sandbox."
                )
            notes.append(f"{origin} ignored: --sandbox given on the command line")
            del values[name]
    elif given and len(given) < len(ref_names):
        missing = [f"--{name}" for name in ref_names if name not in given]
        first = raws[given[0]]
        assert first is not None
        raise pytest.UsageError(
            f"{first.value!r} from {first.origin} needs {' and '.join(missing)} too: the Admin "
            "API finds a service by project, region and name. Give all three (or PROJECT_ID, "
            "REGION, SERVICE_NAME)."
        )
    revision = raws["revision"]
    if revision and not given and not sandbox:
        raise pytest.UsageError(
            f"--revision={revision.value} from {revision.origin} needs --project, --region and "
            "--service: the revision is read from the Cloud Run Admin API."
        )
    faults = raws["sandbox_fault"]
    if faults and not sandbox:
        raise pytest.UsageError(
            f"--sandbox-fault={faults.value} only applies with --sandbox; add --sandbox."
        )
    return tuple(notes)
