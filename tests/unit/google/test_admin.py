"""describe_service with the real google-cloud-run client against the sandbox's Admin API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.config.envfile import load_env_file
from cloudrun_acceptance.google.admin import describe_service
from cloudrun_acceptance.model.errors import AdminApiError
from cloudrun_acceptance.model.service import ServiceRef
from cloudrun_acceptance.sandbox.launcher import Sandbox, start_sandbox
from tests.paths import REPO, SHIPPED_CONTRACT


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    started = start_sandbox(load_contract(SHIPPED_CONTRACT), load_env_file(REPO / "env.yaml"))
    yield started
    started.stop()


def ref_of(sandbox: Sandbox, service: str | None = None) -> ServiceRef:
    d = sandbox.deployment
    return ServiceRef(d.project, d.region, service or d.service)


def test_the_service_and_its_latest_ready_revision_as_plain_values(sandbox):
    facts = describe_service(ref_of(sandbox), endpoint=sandbox.admin_endpoint)
    assert facts.revision.name == facts.latest_ready == "emergence-app-00003-abc"
    assert facts.uri == sandbox.service_url
    assert facts.revision.ready is True and not facts.pinned
    assert facts.revision.env["CONCEPT_RECALL_METRICS_ENABLED"] == "true"
    assert str(facts.revision.secrets["OPENAI_API_KEY"]) == "OPENAI_API_KEY:5"
    assert facts.revision.resources["memory"] == "4Gi"
    assert facts.share_of(facts.revision.name) == 100


def test_a_pinned_revision_is_read_instead(sandbox):
    facts = describe_service(
        ref_of(sandbox), endpoint=sandbox.admin_endpoint, revision="emergence-app-00001-xyz"
    )
    assert (facts.revision.name, facts.pinned) == ("emergence-app-00001-xyz", True)


def test_an_unknown_service_lists_those_that_exist(sandbox):
    with pytest.raises(AdminApiError) as caught:
        describe_service(ref_of(sandbox, "emergence-ap"), endpoint=sandbox.admin_endpoint)
    assert caught.value.status == 404
    assert caught.value.summary == (
        "service 'emergence-ap' was not found in project sandbox-project, region europe-west1 "
        "(404); there: emergence-app, emergence-app-staging"
    )


def test_an_endpoint_that_refuses_is_named(refusing_port):
    with pytest.raises(AdminApiError) as caught:
        describe_service(
            ServiceRef("p", "r", "s"), endpoint=f"http://127.0.0.1:{refusing_port}", timeout=2
        )
    assert caught.value.summary == (
        f"the Cloud Run Admin API at http://127.0.0.1:{refusing_port} could not be reached "
        "(ConnectionError)"
    )
