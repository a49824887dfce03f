"""The CI how-to's "Trusting a company CA" snippets are the examples' own gate steps (docs/ci/),
with the CA bundle written by an earlier step and named in the gate step's ``env:`` for each of
the gate's three HTTP stacks; and the certificate advice points at that page."""

from __future__ import annotations

import re
import textwrap
from typing import Any

import yaml

from cloudrun_acceptance.probe.tls import CI_HOWTO
from tests.paths import REPO

PAGE = (REPO / "docs/how-to/ci.md").read_text()
SECTION = PAGE[PAGE.index("## Trusting a company CA") :]
BLOCKS = [
    yaml.safe_load(textwrap.dedent(block))
    for block in re.findall(r"```yaml\n(.*?)```", SECTION, re.DOTALL)
]
# Each stack's variable: httpx (the service's URL), requests (Admin API, Logging), httplib2.
BUNDLE_VARIABLES = ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "HTTPLIB2_CA_CERTS")


def step(steps: list[dict[str, Any]], key: str, value: str) -> dict[str, Any]:
    found = [item for item in steps if item.get(key) == value]
    assert len(found) == 1, f"one step with {key} {value!r} in {[s.get(key) for s in steps]}"
    return found[0]


def test_the_certificate_advice_names_this_page_and_its_section():
    path, section = re.fullmatch(r'the CI how-to \(([^,]+), "([^"]+)"\)', CI_HOWTO).groups()
    assert (REPO / path).read_text() == PAGE
    assert f"## {section}\n" in PAGE


def test_the_github_actions_snippet_is_the_examples_gate_step_with_the_bundle():
    snippet = BLOCKS[0]
    example = yaml.safe_load((REPO / "docs/ci/github-actions.yml").read_text())
    steps = example["jobs"]["deploy"]["steps"]
    assert step(snippet, "name", "Install the gate") == step(steps, "name", "Install the gate")
    gate = step(snippet, "name", "Acceptance gate")
    assert gate["run"] == step(steps, "name", "Acceptance gate")["run"]
    bundle = "${{ runner.temp }}/ca-bundle.pem"
    assert gate["env"] == dict.fromkeys(BUNDLE_VARIABLES, bundle)
    written = step(snippet, "name", "Trust the company CA")
    assert '"$RUNNER_TEMP/ca-bundle.pem"' in written["run"]
    assert 'cat "$(python -m certifi)"' in written["run"]
    names = [item.get("name") for item in snippet]
    assert names.index("Install the gate") < names.index("Trust the company CA")


def test_the_cloud_build_snippet_is_the_examples_gate_step_with_the_bundle():
    snippet = BLOCKS[1]
    example = yaml.safe_load((REPO / "docs/ci/cloudbuild.yaml").read_text())
    gate = step(snippet["steps"], "id", "acceptance-gate")
    shipped = step(example["steps"], "id", "acceptance-gate")
    assert gate["args"] == shipped["args"]
    bundle = "/workspace/ca-bundle.pem"
    assert gate["env"] == [*shipped["env"], *(f"{name}={bundle}" for name in BUNDLE_VARIABLES)]
    written = step(snippet["steps"], "id", "company-ca")
    assert f"> {bundle}" in written["args"][-1]
    assert written["secretEnv"] == ["COMPANY_CA"]
    secrets = snippet["availableSecrets"]["secretManager"]
    assert [secret["env"] for secret in secrets] == ["COMPANY_CA"]
    ids = [item["id"] for item in snippet["steps"]]
    assert ids.index("company-ca") < ids.index("acceptance-gate")
