"""The example pipeline (docs/ci/clouddeploy/clouddeploy.yaml) is what gcloud accepts: the real
`gcloud deploy apply`, in a throwaway configuration (no credentials, the Cloud Deploy endpoint
a local stand-in, tests/integration/deploykit.py), and the resources it sent, read back from the
request bodies: the canary phases, their verify job, and the analysis that runs the gate's image
with `analyze` and every variable that command reads."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from cloudrun_acceptance.scaffold.jobenv import VARIABLES
from tests.integration.deploykit import FakeCloudDeploy
from tests.integration.gcloudkit import inherited_environment, needs_gcloud, run_gcloud
from tests.paths import REPO

pytestmark = needs_gcloud

EXAMPLE = REPO / "docs/ci/clouddeploy"
WHERE = ("--region=europe-west1", "--project=demo-project")
PARENT = "projects/demo-project/locations/europe-west1"


@pytest.fixture
def cloud_deploy(tmp_path: Path) -> Iterator[tuple[FakeCloudDeploy, dict[str, str]]]:
    """The stand-in, and an environment whose gcloud configuration (a folder of this test's,
    set with `gcloud config set`) sends Cloud Deploy's calls there, with no credentials."""
    with FakeCloudDeploy() as server:
        env = {
            **inherited_environment(),
            "CLOUDSDK_CONFIG": str(tmp_path / "gcloud"),
            "CLOUDSDK_CORE_DISABLE_PROMPTS": "1",
        }
        for name, value in (
            ("auth/disable_credentials", "true"),
            ("api_endpoint_overrides/clouddeploy", server.url),
        ):
            done = run_gcloud(env, "config", "set", name, value)
            assert done.returncode == 0, done.stderr
        yield server, env


def apply(env: dict[str, str], path: Path):
    return run_gcloud(env, "deploy", "apply", f"--file={path}", *WHERE)


def test_gcloud_applies_the_example_pipeline_with_its_analysis(cloud_deploy):
    server, env = cloud_deploy
    done = apply(env, EXAMPLE / "clouddeploy.yaml")
    assert done.returncode == 0, done.stderr
    for name in ("deliveryPipelines/emergence-app", "targets/production"):
        assert f"Created Cloud Deploy resource: {PARENT}/{name}." in done.stderr.splitlines()
    # One PATCH per resource, creating it when missing; no GET first.
    assert [(call.method, call.path) for call in server.calls] == [
        ("PATCH", f"/v1/{PARENT}/deliveryPipelines/emergence-app"),
        ("PATCH", f"/v1/{PARENT}/targets/production"),
    ]
    assert all(call.query["allowMissing"] == ["True"] for call in server.calls)
    pipeline, target = (call.body for call in server.calls)
    assert pipeline["name"] == f"{PARENT}/deliveryPipelines/emergence-app"
    (stage,) = pipeline["serialPipeline"]["stages"]
    assert stage["targetId"] == "production"
    phases = stage["strategy"]["canary"]["canaryDeployment"]
    assert phases["percentages"] == [25, 50]
    assert phases["verify"] is True
    analysis = phases["analysis"]
    assert analysis["duration"] == "900s"
    (check,) = analysis["customChecks"]
    assert (check["id"], check["frequency"]) == ("cloudrun-acceptance", "300s")
    (container,) = check["task"]["containersTask"]["containers"]
    # The gate's image, the one the verify job runs (skaffold.yaml), given `analyze`.
    (verify_job,) = yaml.safe_load((EXAMPLE / "skaffold.yaml").read_text())["verify"]
    assert container["image"] == verify_job["container"]["image"]
    assert [*container["command"], *container["args"]] == ["cloudrun-acceptance", "analyze"]
    region = target["run"]["location"].rsplit("/", 1)[-1]
    assert container["env"] == {
        "CLOUD_RUN_PROJECT": "${{ project.id }}",
        "CLOUD_RUN_LOCATION": region,  # the Target's, written out: no parameter names it
        "CLOUD_RUN_SERVICE": "${{ render.metadata.cloud_run.service.name }}",
        "CLOUD_RUN_REVISION": "${{ render.metadata.cloud_run.revision.name }}",
    }
    assert set(container["env"]) == {name for name, _ in VARIABLES}  # all analyze reads
    assert target["name"] == f"{PARENT}/targets/production"


def _docs_stanza(container: dict[str, Any]) -> dict[str, Any]:
    """The task as the tasks page writes it: `type: container`, env a list of one-entry maps."""
    env = [{entry["key"]: entry["value"]} for entry in container["env"]["additionalProperties"]]
    return {"type": "container", **{k: v for k, v in container.items() if k != "env"}, "env": env}


def _plain_env(container: dict[str, Any]) -> dict[str, Any]:
    """The API's shape with the env written as a plain map, as the REST reference shows it."""
    env = {entry["key"]: entry["value"] for entry in container["env"]["additionalProperties"]}
    return {"containersTask": {"containers": [{**container, "env": env}]}}


@pytest.mark.parametrize(
    ("shape", "refusal"),
    [
        (_docs_stanza, "May not assign arbitrary value type to message Task"),
        (_plain_env, "May not assign arbitrary value CLOUD_RUN_PROJECT to message EnvValue"),
    ],
    ids=["the tasks page's stanza", "env as a plain map"],
)
def test_why_the_example_writes_its_task_in_the_apis_shape(cloud_deploy, tmp_path, shape, refusal):
    """gcloud 528 builds the API's messages from the file's maps as they are (apitools' message
    fields take a dict as keyword arguments), so only field names of the API's messages pass:
    the example's comment says so, and this fails when a gcloud accepts the others."""
    server, env = cloud_deploy
    pipeline, target = yaml.safe_load_all((EXAMPLE / "clouddeploy.yaml").read_text())
    changed = copy.deepcopy(pipeline)
    (stage,) = changed["serialPipeline"]["stages"]
    (check,) = stage["strategy"]["canary"]["canaryDeployment"]["analysis"]["customChecks"]
    (container,) = check["task"]["containersTask"]["containers"]
    check["task"] = shape(container)
    path = tmp_path / "clouddeploy.yaml"
    path.write_text(yaml.safe_dump_all([changed, target], sort_keys=False))
    done = apply(env, path)
    assert done.returncode == 1
    assert f"ERROR: gcloud crashed (AttributeError): {refusal}" in done.stderr
    assert server.calls == []  # refused before any request
