"""The contract `init` drafts from what it read: the live service, its revision, its tree.

What could not be read is a ``<FILL IN: ...>`` placeholder where the contract needs a value
(the loader refuses it until replaced), and a commented-out example where a section is
optional. The draft's comments say where each value came from."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..checks.dockerfile import effective_command
from ..model.contract import APP_REFERENCE, RESOURCE_KEYS
from ..model.errors import AdminApiError
from ..model.service import ServiceFacts
from ..model.version import VERSION
from .files import VERSION_LINE
from .metrics_draft import metrics_section
from .read import HealthSeen, MetricsSeen, TreeSeen
from .workflow import placeholder
from .yamltext import c, pattern, q

# Programs whose `-m` module or app argument names the code the image must carry.
SERVERS = ("uvicorn", "gunicorn", "hypercorn", "granian")


@dataclass
class Draft:
    """The contract's text as it is built, and the placeholders left in it (their keys)."""

    lines: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def fill_in(self, key: str, what: str) -> str:
        """A placeholder for ``key``, recorded for init's closing lines."""
        self.placeholders.append(key)
        return q(placeholder(what))

    @property
    def text(self) -> str:
        return "\n".join(self.lines).rstrip() + "\n"


def draft_contract(
    *,
    service: str,
    sources: list[str],
    health: HealthSeen | str | None,
    metrics: MetricsSeen | None,
    facts: ServiceFacts | AdminApiError | None,
    tree: TreeSeen,
) -> Draft:
    """The contract of ``service`` from what was read; ``sources`` says from what, for its head."""
    draft = Draft()
    draft.add(
        f"# The acceptance contract of {service}: what a good revision looks like.",
        f"# Drafted by cloudrun-acceptance init {VERSION} from {', '.join(sources)}.",
        '# Replace each "<FILL IN: ...>" (the gate refuses the contract until then) and uncomment',
        "# what applies. Paths are relative to the service URL; durations are in seconds.",
        f"\n{VERSION_LINE}\n",
    )
    _health(draft, health)
    _metrics(draft, metrics, facts)
    _calls(draft)
    _revision(draft, facts)
    _logs(draft)
    _compare(draft)
    _preflight(draft, tree)
    _sandbox(draft, service, tree)
    return draft


def _health(draft: Draft, health: HealthSeen | str | None) -> None:
    if isinstance(health, HealthSeen):
        draft.add(
            c("health:", "as the live service answered it"),
            f"  path: {health.path}",
        )
        if health.status != 200:
            draft.add(f"  status: {health.status}")
        if health.content_type:
            draft.add(f"  content_type: {health.content_type}")
        if health.body_pattern:
            draft.add(f"  body_pattern: {pattern(health.body_pattern)}")
    else:
        why = f"  # {health}" if isinstance(health, str) else ""
        path = draft.fill_in("health.path", "the health path, such as /healthz")
        draft.add("health:" + why, f"  path: {path}")
        draft.add(c("  # body_pattern: '^ok$'", "for a text answer; JSON is expected otherwise"))
    draft.add("")


def _metrics(
    draft: Draft, metrics: MetricsSeen | None, facts: ServiceFacts | AdminApiError | None
) -> None:
    if metrics is not None and metrics.problem:
        path = draft.fill_in("metrics.path", f"the metrics path; {metrics.url} gave no exposition")
        draft.add(f"metrics:                  # {metrics.problem}", f"  path: {path}", "")
        return
    draft.add(*metrics_section(metrics, facts), "")


def _calls(draft: Draft) -> None:
    draft.add(
        c("# analysis:", "the service's action and the counters it moves"),
        c("#   method: POST", "(mutating: it runs only with --test-session)"),
        "#   path: /api/orders/{test_session}",
        c("#   body: {item: widget}", "or form: {...}, or raw: text; query:, headers: too"),
        "#   counters:",
        "#     - {metric: orders_placed_total, increase_at_least: 1}",
        "#     - {metric: order_seconds_count}  # a histogram's or summary's count counts too",
        c("# cache:", "the same call answered from a cache, within a budget"),
        "#   method: GET",
        "#   budget_seconds: 0.3",
        "#   counters:",
        "#     - {metric: cache_hits_total, increase_at_least: 1}",
        "",
    )


def _revision(draft: Draft, facts: ServiceFacts | AdminApiError | None) -> None:
    if not isinstance(facts, ServiceFacts):
        why = f" ({facts.summary})" if isinstance(facts, AdminApiError) else ""
        draft.add(
            c("revision:", f"init --from-service reads it{why}"),
            "  traffic_percent: 100",
            c("  # secrets:", "by name and version; values are never read"),
            '  #   - {env: API_KEY, secret: api-key, version: "3"}',
            '  # resources: {cpu: "1", memory: 512Mi, timeout_seconds: 300, max_instances: 10}',
            "",
        )
        return
    revision = facts.revision
    draft.add(
        c("revision:", f"read from {revision.name} (Cloud Run Admin API)"),
        f"  traffic_percent: {facts.share_of(revision.name)}",
    )
    if revision.secrets:
        draft.add(c("  secrets:", "by name and version; values are never read"))
        draft.add(
            *(
                f"    - {{env: {env}, secret: {mount.secret}, version: {q(mount.version)}}}"
                for env, mount in revision.secrets.items()
            )
        )
    resources = {key: revision.resources[key] for key in RESOURCE_KEYS if key in revision.resources}
    if resources:
        draft.add("  resources:")
        draft.add(*(f"    {key}: {_resource(key, value)}" for key, value in resources.items()))
    draft.add("")


def _resource(key: str, value: str) -> str:
    """As the shipped contract writes them: the CPU quoted, counts and sizes plain."""
    return q(value) if key == "cpu" or not re.fullmatch(r"[\w.]+", value) else value


def _logs(draft: Draft) -> None:
    draft.add(
        "logs:",
        c("  # startup_lines:", "regular expressions of lines the service logs at start"),
        "  #   - 'listening on port \\d+'",
        c("  error_severity: report", "entries at ERROR or above: report | fail"),
        "",
    )


def _compare(draft: Draft) -> None:
    draft.add(
        c("compare:", "a tagged candidate (--tag) against the stable revision it replaces"),
        c("  count: 600", "exchanges with each revision, shared by the weights"),
        c("  tolerance: 0.10", "the candidate may be 10% slower than the stable median"),
        c("  # requests:", "default: health (and the cache call, with a cache section)"),
        c("  #   - {name: search, path: /api/search, query: {q: x}, weight: 2}", "GET unless said"),
        "",
    )


def _preflight(draft: Draft, tree: TreeSeen) -> None:
    dockerfile = tree.dockerfile
    if not dockerfile.found or not dockerfile.command[0]:
        draft.add(
            c("preflight:", "the source tree (--preflight=.): the Dockerfile has no command"),
            "  required_paths: [Dockerfile]",
            "  requirements: []",
            "",
        )
        return
    words, _ = effective_command(dockerfile)
    program, module, app, app_dir = _command(words)
    draft.add(
        c("preflight:", f"read from the Dockerfile ({dockerfile.where})"),
        f"  command: {program}",
    )
    if app_dir:
        draft.add(f"  app_dir: {app_dir}")
    if app:
        draft.add(f"  app: {app}")
    folder = app_dir or module.split(".")[0]
    paths = ["Dockerfile"]
    if tree.requirements.found:
        paths.append(tree.requirements.file)
    if folder and (tree.root / folder).is_dir():
        paths.append(f"{folder}/")
    draft.add(f"  required_paths: [{', '.join(paths)}]")
    listed = {entry.name for entry in tree.requirements.entries}
    wanted = ["prometheus-client"] if "prometheus-client" in listed else []
    draft.add(f"  requirements: [{', '.join(wanted)}]", "")


def _command(words: tuple[str, ...]) -> tuple[str, str, str, str]:
    """The program, the ``-m`` module, the ``module:app`` and the ``--app-dir`` of a command."""
    rest = [w for w in words if w != "exec" and "=" not in w.split("/")[0]]
    program = os.path.basename(rest[0]) if rest else ""
    module = rest[rest.index("-m") + 1] if "-m" in rest[:-1] else ""
    if module in SERVERS:
        program, module = module, ""
    app = next((w for w in rest if APP_REFERENCE.fullmatch(w)), "") if program in SERVERS else ""
    app_dir = ""
    if "--app-dir" in rest[:-1]:
        app_dir = rest[rest.index("--app-dir") + 1].strip("/")
    if app and not module:
        module = app.split(":", 1)[0]
    return program, module, app, app_dir


def _sandbox(draft: Draft, service: str, tree: TreeSeen) -> None:
    draft.add(
        c("sandbox:", "pytest --sandbox runs your own service, as Cloud Run would"),
        f"  service: {service}",
    )
    if not tree.dockerfile.found or not tree.dockerfile.command[0]:
        command = draft.fill_in(
            "sandbox.command",
            "the command that starts your service on $PORT, such as python -m app",
        )
        draft.add(f"  command: {command}")
    else:
        draft.add(c("  # command: ...", "default: the Dockerfile's command, run in this folder"))


def draft_env(facts: ServiceFacts | AdminApiError | None, path: Path) -> str:
    """env.yaml: the revision's plain variables (secrets are the contract's), quoted."""
    lines = [
        "# The environment the revision must carry: `gcloud run deploy --env-vars-file env.yaml`",
        "# takes it, and the gate compares the deployed revision with it. Values must be strings.",
    ]
    if isinstance(facts, ServiceFacts):
        lines.insert(0, f"# Read from {facts.revision.name} by cloudrun-acceptance init.")
        lines += [f"{name}: {q(value)}" for name, value in facts.revision.env.items()]
    else:
        lines.append(
            f"# (init --from-service reads it from the serving revision; {path.name} is empty)"
        )
    return "\n".join(lines) + "\n"
