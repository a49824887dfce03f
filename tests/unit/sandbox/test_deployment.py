"""The sandbox deployment is env.yaml and the contract's secrets, with the faults applied."""

from __future__ import annotations

from cloudrun_acceptance.model.contract import SecretRef
from cloudrun_acceptance.sandbox.deployment import DEFAULT_RESOURCES, LogStore, plan_deployment
from cloudrun_acceptance.sandbox.faults import behaviour_for

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
