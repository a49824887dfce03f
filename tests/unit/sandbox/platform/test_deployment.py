"""The sandbox deployment is env.yaml and the contract's secrets, with the faults applied."""

from __future__ import annotations

from cloudrun_acceptance.model.contract import SecretRef
from cloudrun_acceptance.sandbox.faults.profiles import behaviour_for
from cloudrun_acceptance.sandbox.platform.deployment import (
    DEFAULT_RESOURCES,
    LogStore,
    plan_deployment,
)

SECRETS = (SecretRef("OPENAI_API_KEY", "OPENAI_API_KEY", "5"),)


def test_faults_change_the_env_and_the_secret_versions():
    env = {"CONCEPT_RECALL_METRICS_ENABLED": "true", "AUTH_DEV_MODE": "false"}
    deployment = plan_deployment(
        behaviour_for(["env_drift", "env_missing", "secret_version"]),
        env,
        SECRETS,
        {"cpu": "1"},
        1.0,
    )
    assert deployment.env == {"CONCEPT_RECALL_METRICS_ENABLED": "1"}
    assert deployment.secrets == (SecretRef("OPENAI_API_KEY", "OPENAI_API_KEY", "4"),)
    assert deployment.resources == {**DEFAULT_RESOURCES, "cpu": "1"}


def test_the_log_store_writes_request_entries_as_cloud_run_does():
    deployment = plan_deployment(behaviour_for([]), {}, (), {}, 1.0)
    log = LogStore(deployment)
    log.request("GET", "http://svc/api/health", 503, 0.25, "gate")
    log.output("started")
    request, line = log.snapshot()
    assert request["severity"] == "ERROR"
    assert (
        request["httpRequest"]["status"] == 503 and request["httpRequest"]["latency"] == "0.250000s"
    )
    assert request["resource"]["labels"]["revision_name"] == deployment.revision
    assert line["textPayload"] == "started" and line["logName"].endswith(
        "run.googleapis.com%2Fstderr"
    )
    assert "severity" not in line  # a plain line has no severity, as on Cloud Run


def test_the_candidate_flow_plans_the_stable_revisions_own_runtime():
    env = {"CONCEPT_RECALL_METRICS_ENABLED": "true", "GOOGLE_ALLOWED_EMAILS": "op@example.com"}
    changed = plan_deployment(
        behaviour_for(["candidate_config_changed", "secret_version"]), env, SECRETS, {}, 1.0
    )
    previous, _, checked, _ = changed.history
    assert changed.live_revisions == (previous, checked)
    stable = changed.runtime_of(previous)
    assert stable.env == {**env, "GOOGLE_ALLOWED_EMAILS": "former@example.com"}
    assert stable.resources == {**DEFAULT_RESOURCES, "memory": "2Gi"}
    assert stable.secrets == SECRETS  # pinned: secret_version is the candidate's fault
    assert changed.runtime_of(checked) == changed.runtime
    assert changed.runtime.env == env and changed.runtime.resources == DEFAULT_RESOURCES
    direct = plan_deployment(behaviour_for(["env_drift"]), env, SECRETS, {}, 1.0)
    assert direct.stable is None and direct.live_revisions == (direct.revision,)
    assert direct.runtime_of(direct.previous_revision) == direct.runtime


def test_a_line_is_logged_under_the_revision_given():
    deployment = plan_deployment(behaviour_for(["tagged_candidate"]), {}, (), {}, 1.0)
    log = LogStore(deployment)
    log.output("old", revision=deployment.previous_revision)
    log.output("new")
    assert [e["resource"]["labels"]["revision_name"] for e in log.snapshot()] == [
        deployment.previous_revision,
        deployment.revision,
    ]


def test_a_deployment_in_another_region_names_it_everywhere():
    deployment = plan_deployment(behaviour_for([]), {}, (), {}, 1.0, region="us-central1")
    assert deployment.region == "us-central1"
    assert deployment.service_name == (
        "projects/sandbox-project/locations/us-central1/services/emergence-app"
    )
    assert deployment.image.startswith("us-central1-docker.pkg.dev/")
    log = LogStore(deployment)
    log.output("started")
    assert log.snapshot()[0]["resource"]["labels"]["location"] == "us-central1"
    assert plan_deployment(behaviour_for([]), {}, (), {}, 1.0).region == "europe-west1"
