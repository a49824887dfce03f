"""The CI workflow `init` writes, rendered from the package's template with the service's names.

A template marks each value as ``{{name}}`` (GitHub's own ``${{ ... }}`` has spaces, so it is
never taken for one). A value is text, or a list: a line with a list value is written once per
item, and a line whose value is empty (no secrets, no resources) is left out.
docs/ci/ holds the templates rendered for the example's service (a test keeps them equal).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources as package_data

from ..model.contract import FILL_IN, RESOURCES_BY_KEY

MARKER = re.compile(r"\{\{([a-z_]+)\}\}")
PACKAGE_PLACEHOLDER = (
    f"{FILL_IN}: what pip installs for the gate, such as cloudrun-acceptance @ "
    "git+https://HOST/OWNER/cloudrun-acceptance@COMMIT>"
)


def placeholder(what: str) -> str:
    """A value `init` could not read, to be replaced by hand."""
    return f"{FILL_IN}: {what}>"


@dataclass(frozen=True, kw_only=True)
class WorkflowValues:
    """What the workflow names: the service, where it runs, the gate to install, the secrets
    (``ENV=secret:version``) and the resource flags of its deploy."""

    project: str = placeholder("your Google Cloud project")
    region: str = placeholder("the service's region, such as europe-west1")
    service: str = placeholder("your Cloud Run service")
    package: str = PACKAGE_PLACEHOLDER
    secrets: Sequence[str] = ()
    resources: Sequence[str] = field(default_factory=tuple)

    def markers(self) -> dict[str, str | Sequence[str]]:
        """Each template marker's value."""
        return {
            "project": self.project,
            "region": self.region,
            "service": self.service,
            "package": self.package,
            "secrets": ",".join(self.secrets),
            "resource": list(self.resources),
        }


def example_values() -> WorkflowValues:
    """The example's workflow (docs/ci/): its service, and the shipped contract's secrets and
    resources."""
    from ..config.contract import load_contract

    shipped = package_data.files("cloudrun_acceptance") / "templates/tests/acceptance/contract.yaml"
    with package_data.as_file(shipped) as path:
        contract = load_contract(path)
    revision = contract.revision
    secrets, flags = deploy_flags(
        {ref.env: f"{ref.secret}:{ref.version}" for ref in revision.secrets}, revision.resources
    )
    return WorkflowValues(
        project="my-project",
        region="europe-west1",
        service="emergence-app",
        secrets=secrets,
        resources=flags,
    )


def deploy_flags(
    secrets: Mapping[str, str], resources: Mapping[str, str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ``--update-secrets`` entries (``ENV=secret:version``, from env name to
    ``secret:version``) and the resource flags (``--cpu=2``, from the contract's resource keys)
    of a deploy."""
    return (
        tuple(f"{env}={mount}" for env, mount in secrets.items()),
        tuple(
            f"{RESOURCES_BY_KEY[key].flag}={value}"
            for key, value in resources.items()
            if key in RESOURCES_BY_KEY
        ),
    )


def render(template: str, values: Mapping[str, str | Sequence[str]]) -> str:
    """The template with every marker replaced; an unknown marker is a KeyError (a bug)."""
    lines = []
    for line in template.splitlines(keepends=True):
        names = MARKER.findall(line)
        if any(not values[name] for name in names):
            continue
        lists = [values[name] for name in names if not isinstance(values[name], str)]
        for item in lists[0] if lists else [""]:
            lines.append(_fill(line, values, item))
    return "".join(lines)


def _fill(line: str, values: Mapping[str, str | Sequence[str]], item: str) -> str:
    def one(match: re.Match[str]) -> str:
        value = values[match[1]]
        return value if isinstance(value, str) else item

    return MARKER.sub(one, line)
