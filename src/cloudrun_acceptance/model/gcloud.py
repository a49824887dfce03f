"""The gcloud commands the gate prints, built in one place so that each runs as printed.

Every command names the service's region and project (a default project in the operator's
gcloud configuration may be another one), names revisions explicitly (``--to-latest`` means
"the newest Ready revision and those after it", not the revision the gate checked), quotes each
word for a POSIX shell, escapes a list or dict value for gcloud's own syntax (``gcloud topic
escaping``: a value with a comma takes an alternate delimiter, ``^@^``), and deletes with
``--quiet`` (gcloud asks for confirmation, which fails without a terminal).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .service import ServiceRef, TrafficRow

# Delimiters gcloud's alternate-delimiter syntax may take, tried in order.
DELIMITERS = ("@", "|", ";", "#", "%", "~")


@dataclass(frozen=True)
class Command:
    """A command line: its words, printed quoted for a POSIX shell."""

    words: tuple[str, ...]

    def __str__(self) -> str:
        return shlex.join(self.words)


def gcloud_list(items: Iterable[str]) -> str:
    """Items as one gcloud list or dict value: ``a,b``, or ``^@^a,b@c`` when an item holds a
    comma (the first delimiter that none holds)."""
    values = list(items)
    if not any("," in value for value in values):
        return ",".join(values)
    delimiter = next(d for d in DELIMITERS if not any(d in value for value in values))
    return f"^{delimiter}^" + delimiter.join(values)


def run_command(ref: ServiceRef, *words: str) -> Command:
    """``gcloud run WORDS... --region R --project P``."""
    return Command(("gcloud", "run", *words, "--region", ref.region, "--project", ref.project))


def describe_service(ref: ServiceRef) -> Command:
    """The service: its conditions, revisions and traffic."""
    return run_command(ref, "services", "describe", ref.service)


def describe_revision(ref: ServiceRef, revision: str) -> Command:
    """One revision: its env, secrets, resources and conditions."""
    return run_command(ref, "revisions", "describe", revision)


def set_traffic(ref: ServiceRef, shares: Mapping[str, int]) -> Command:
    """Traffic set to these revisions' shares, named explicitly; tags are left as they are."""
    pairs = [f"{revision}={percent}" for revision, percent in shares.items() if percent]
    return run_command(
        ref, "services", "update-traffic", ref.service, "--to-revisions", gcloud_list(pairs)
    )


def traffic_of(rows: Iterable[TrafficRow]) -> dict[str, int]:
    """The shares of a traffic table, by revision (tags at 0% left out)."""
    shares: dict[str, int] = {}
    for row in rows:
        if row.percent:
            shares[row.revision] = shares.get(row.revision, 0) + row.percent
    return shares


def move_tag(ref: ServiceRef, tag: str, revision: str) -> Command:
    """The traffic tag moved to ``revision`` (its share unchanged)."""
    return run_command(
        ref, "services", "update-traffic", ref.service, "--update-tags", f"{tag}={revision}"
    )


def delete_revision(ref: ServiceRef, revision: str) -> Command:
    """The revision deleted, without the confirmation prompt."""
    return Command((*run_command(ref, "revisions", "delete", revision).words, "--quiet"))


def update_env(ref: ServiceRef, values: Mapping[str, str]) -> Command:
    """The service's env set to these values (a new revision), each escaped for gcloud."""
    pairs = [f"{key}={value}" for key, value in values.items()]
    return run_command(
        ref, "services", "update", ref.service, "--update-env-vars", gcloud_list(pairs)
    )


def remove_env(ref: ServiceRef, names: Iterable[str]) -> Command:
    """These env vars removed from the service (a new revision)."""
    return run_command(
        ref, "services", "update", ref.service, "--remove-env-vars", gcloud_list(names)
    )


def grant_project_role(project: str, member: str, role: str) -> Command:
    """``member`` is given ``role`` on the project."""
    return Command(
        (
            "gcloud",
            "projects",
            "add-iam-policy-binding",
            project,
            f"--member={member}",
            f"--role={role}",
        )
    )


def grant_invoker(ref: ServiceRef, member: str) -> Command:
    """``member`` (``user:EMAIL``, ``serviceAccount:EMAIL``) may invoke the service."""
    return run_command(
        ref,
        "services",
        "add-iam-policy-binding",
        ref.service,
        f"--member={member}",
        "--role=roles/run.invoker",
    )
