"""Writing the gate into a repository, drafted for the team's own service, without overwriting
anything unless asked. Every line it reports is true of what it wrote."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config.envfile import read_env_entries
from ..model.contract import FILL_IN
from ..model.envfile import env_differences
from ..model.errors import AdminApiError, ConfigError
from ..model.preflight import Dockerfile
from ..model.service import ServiceFacts, ServiceRef, folder_service_name
from .draft import draft_contract, draft_env
from .families import RESCRAPE_SECONDS
from .files import (
    CI_FILES,
    CONTRACT,
    ENV_FILE,
    KEPT_WHEN_PRESENT,
    Ci,
    File,
    gate_files,
    template_text,
)
from .install import InstallSpec, install_spec
from .read import HealthSeen, MetricsSeen, read_service, read_tree, read_url
from .workflow import WorkflowValues, deploy_flags, example_values, render
from .written import WRITTEN

REPORTS_IGNORED = {"reports", "reports/", "/reports", "/reports/"}


@dataclass(frozen=True, kw_only=True)
class Sources:
    """What `init` reads: the live service's URL (and paths), the Cloud Run service."""

    url: str | None = None
    health_path: str | None = None
    metrics_path: str = "/metrics"
    rescrape_after: float = RESCRAPE_SECONDS
    service: ServiceRef | None = None
    endpoint: str | None = None


@dataclass
class Written:
    """What `init` did: files written and kept, what it read, what is left to fill in, and the
    commands to run next."""

    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    read: list[str] = field(default_factory=list)
    fill_in: list[str] = field(default_factory=list)
    next_steps: list[tuple[str, str]] = field(default_factory=list)


def init(
    directory: Path,
    *,
    ci: Ci = "github",
    force: bool = False,
    example: bool = False,
    sources: Sources | None = None,
    install: InstallSpec | None = None,
) -> Written:
    """Write the gate into ``directory``: the example's (``example``), or drafted for the team's
    service from ``sources`` and its source tree. A file in the way stops it, naming the file,
    unless ``force``; env.yaml is kept as it is either way."""
    copies = [name for name in WRITTEN if name.startswith("tests/") and (directory / name).exists()]
    if copies:
        shown = ", ".join(name.rsplit("/", 1)[-1] for name in copies)
        raise ConfigError(
            f"{directory / 'tests/acceptance'} holds copies of the built-in checks an earlier "
            f"init wrote ({shown}); this version brings them itself: run cloudrun-acceptance "
            f"upgrade {directory} instead (it removes the unedited copies, keeps yours and says "
            "what to do with edited ones)."
        )
    done = Written()
    install = install or install_spec()
    if example:
        files = gate_files(example=True) + _workflow(ci, example_values())
        done.next_steps.append(
            (
                "pytest --sandbox",
                "the example's checks against its reference service: every check passes",
            )
        )
    else:
        files = _drafted(directory, ci, sources or Sources(), install, done)
    kept = [
        f
        for f in files
        if f.destination in KEPT_WHEN_PRESENT and (directory / f.destination).exists()
    ]
    to_write = [f for f in files if f not in kept]
    existing = [directory / f.destination for f in to_write if (directory / f.destination).exists()]
    if existing and not force:
        others = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
        raise ConfigError(
            f"{existing[0]} exists{others}; init writes nothing over a file: move it away, or "
            "give --force to overwrite."
        )
    for file in to_write:
        path = directory / file.destination
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(file.content)
        done.written.append(path)
    done.kept = [directory / f.destination for f in kept]
    if _ignore_reports(directory):
        done.read.append("added reports/ to .gitignore (the gate writes its reports there)")
    return done


def _drafted(
    directory: Path, ci: Ci, sources: Sources, install: InstallSpec, done: Written
) -> list[File]:
    tree = read_tree(directory)
    health: HealthSeen | str | None = None
    metrics: MetricsSeen | None = None
    read_from = []
    if sources.url is not None:
        health, metrics = read_url(
            sources.url,
            health_path=sources.health_path,
            metrics_path=sources.metrics_path,
            rescrape_after=sources.rescrape_after,
        )
        read_from.append(sources.url)
        done.read.append(_url_line(sources.url, health, metrics))
        done.read += metrics.warm_note()
    facts: ServiceFacts | AdminApiError | None = None
    if sources.service is not None:
        facts = read_service(sources.service, sources.endpoint)
        if isinstance(facts, AdminApiError):
            raise ConfigError(
                f"init --from-service could not read {sources.service.name}: {facts.summary}; "
                f"{facts.advice}"
            )
        read_from.append(f"the Cloud Run service {sources.service.service}")
        done.read.append(_service_line(facts))
    if tree.dockerfile.found:
        read_from.append("the Dockerfile")
        done.read.append(
            f"read  {tree.root / tree.dockerfile.name}: {_command_line(tree.dockerfile)}"
        )
    name = sources.service.service if sources.service else folder_service_name(directory)
    draft = draft_contract(
        service=name,
        sources=read_from or ["nothing it could read (every value is to fill in)"],
        health=health,
        metrics=metrics,
        facts=facts,
        tree=tree,
    )
    done.fill_in += [f"{CONTRACT}: {key}" for key in draft.placeholders]
    files = gate_files(example=False)
    files.append(File(CONTRACT, draft.text.encode()))
    files.append(File(ENV_FILE, draft_env(facts, directory / ENV_FILE).encode()))
    if isinstance(facts, ServiceFacts) and (directory / ENV_FILE).exists():
        done.read += _env_differences(directory / ENV_FILE, facts)
    values = _values(sources.service, facts, install)
    files += _workflow(ci, values)
    if ci != "none":
        unknown = [key for key, value in values.markers().items() if FILL_IN in str(value)]
        if unknown:
            names = {
                "project": "PROJECT_ID",
                "region": "REGION",
                "service": "SERVICE_NAME",
                "package": "GATE_PACKAGE",
            }
            done.fill_in.append(f"{CI_FILES[ci][1]}: {', '.join(names[key] for key in unknown)}")
    done.read.append(
        f"gate  {install.requirement} ({install.how})"
        if install.known
        else f"gate  GATE_PACKAGE is a placeholder: the gate was {install.how}"
    )
    done.next_steps += _next(draft.placeholders, tree.dockerfile, sources.service, name)
    return files


def _values(
    ref: ServiceRef | None, facts: ServiceFacts | AdminApiError | None, install: InstallSpec
) -> WorkflowValues:
    base = WorkflowValues(package=install.requirement)
    if ref is None or not isinstance(facts, ServiceFacts):
        return base
    revision = facts.revision
    secrets, resources = deploy_flags(
        {env: str(mount) for env, mount in revision.secrets.items()}, revision.resources
    )
    return WorkflowValues(
        project=ref.project,
        region=ref.region,
        service=ref.service,
        package=install.requirement,
        secrets=secrets,
        resources=resources,
    )


def _workflow(ci: Ci, values: WorkflowValues) -> list[File]:
    if ci == "none":
        return []
    source, destination = CI_FILES[ci]
    return [File(destination, render(template_text(source), values.markers()).encode())]


def _url_line(url: str, health: HealthSeen | str | None, metrics: MetricsSeen | None) -> str:
    assert metrics is not None
    seen = metrics.describe()
    if isinstance(health, HealthSeen):
        seen += f"; health {health.path} answered {health.status}"
        seen += f" {health.content_type}" if health.content_type else " with JSON"
    elif isinstance(health, str):
        seen += f"; health did not answer: {health}"
    return f"read  {url}: {seen}"


def _service_line(facts: ServiceFacts) -> str:
    revision = facts.revision
    ref = facts.ref
    return (
        f"read  {ref.service} ({ref.project}, {ref.region}): revision {revision.name}, "
        f"{len(revision.env)} variables, {len(revision.secrets)} secrets, "
        f"{len(revision.resources)} resources, {facts.share_of(revision.name)}% of traffic"
    )


def _command_line(dockerfile: Dockerfile) -> str:
    words, _, sources = dockerfile.command
    if not words:
        return "no CMD or ENTRYPOINT"
    return f"`{' '.join(item.text for item in sources)}` ({dockerfile.where})"


def _next(
    placeholders: list[str], dockerfile: Dockerfile, ref: ServiceRef | None, name: str
) -> list[tuple[str, str]]:
    steps = []
    if placeholders:
        steps.append(
            (
                f"edit {CONTRACT}",
                f"replace its {len(placeholders)} placeholder(s): {', '.join(placeholders)}",
            )
        )
    if dockerfile.command[0]:
        how = f"with {_command_line(dockerfile)}"
    else:
        how = "with sandbox.command, once it is filled in"
    steps.append(
        (
            "pytest --sandbox",
            f"the contract's checks against your own service, which the sandbox starts {how}, "
            "with $PORT and env.yaml",
        )
    )
    where = (
        f"--project={ref.project} --region={ref.region} --service={ref.service}"
        if ref
        else f"--project=PROJECT --region=REGION --service={name}"
    )
    steps.append((f"pytest {where}", "your deployed service, through the Admin and Logging APIs"))
    return steps


def _env_differences(path: Path, facts: ServiceFacts) -> list[str]:
    """What the kept env.yaml says unlike the serving revision, by name."""
    mine = {entry.key: entry.value for entry in read_env_entries(path).entries}
    differ = env_differences(mine, facts.revision.env)
    if not differ:
        return []
    return [f"note  {path.name} was kept; unlike {facts.revision.name}: {differ}"]


def _ignore_reports(directory: Path) -> bool:
    """Add ``reports/`` to the repository's .gitignore unless it is there; True if added."""
    path = directory / ".gitignore"
    text = path.read_text() if path.is_file() else ""
    if any(line.strip() in REPORTS_IGNORED for line in text.splitlines()):
        return False
    separator = "" if not text or text.endswith("\n") else "\n"
    path.write_text(
        f"{text}{separator}# cloudrun-acceptance's reports (JUnit and markdown)\nreports/\n"
    )
    return True
