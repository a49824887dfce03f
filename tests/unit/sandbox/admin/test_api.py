"""The local Admin API keeps one state and renders it twice: v2 (google-cloud-run's, checked
against the real google.cloud.run_v2 messages) and v1 Knative (gcloud's). A change through
either surface is what the other reads next."""

from __future__ import annotations

import json
import re
import time

import pytest
from google.cloud import run_v2

from cloudrun_acceptance.sandbox.admin.api import AdminApi
from cloudrun_acceptance.sandbox.admin.state import OPERATION_SECONDS, ServiceState
from cloudrun_acceptance.sandbox.faults.profiles import behaviour_for
from cloudrun_acceptance.sandbox.platform.deployment import PROJECT_NUMBER, plan_deployment
from cloudrun_acceptance.sandbox.platform.jsonserver import Request
from cloudrun_acceptance.sandbox.platform.traffic import Traffic

V2 = "/v2/projects/sandbox-project/locations/europe-west1/services/emergence-app"
V1 = "/apis/serving.knative.dev/v1/namespaces/sandbox-project"
INTS = {"$alt": ["json;enum-encoding=int"]}
REGIONAL = "europe-west1-127.0.0.1:8000"
OLD, FAILED, NEW, NEWER = (
    f"emergence-app-{s}" for s in ("00001-xyz", "00002-fgh", "00003-abc", "00004-def")
)


def api(*faults: str) -> AdminApi:
    deployment = plan_deployment(behaviour_for(faults), {"A": "1"}, (), {}, 0.0)
    admin = AdminApi(ServiceState(deployment, Traffic(deployment)))
    admin.authority = "127.0.0.1:8000"
    return admin


def call(admin: AdminApi, method: str, path: str, body=None, query=None, host=REGIONAL):
    status, answer = admin(Request(method, path, query or {}, body, host))
    return status, json.loads(json.dumps(answer))


def get(admin: AdminApi, path: str, **kwargs):
    status, answer = call(admin, "GET", path, **kwargs)
    assert status == 200, answer
    return answer


def settle() -> None:
    time.sleep(OPERATION_SECONDS + 0.05)


@pytest.mark.parametrize("query", [{}, INTS], ids=["names", "numbers"])
@pytest.mark.parametrize("faults", [(), ("not_ready",), ("reconciling",), ("tagged_candidate",)])
def test_v2_answers_are_google_cloud_run_messages(faults, query):
    admin = api(*faults)
    service = get(admin, V2, query=query)
    # No field the real messages lack (from_json refuses unknown fields).
    run_v2.Service.from_json(json.dumps(service), ignore_unknown_fields=False)
    listing = json.dumps(get(admin, f"{V2}/revisions", query=query))
    run_v2.ListRevisionsResponse.from_json(listing, ignore_unknown_fields=False)


def test_v2_enums_are_names_unless_the_request_asks_for_numbers():
    admin = api()
    named, numbered = get(admin, V2), get(admin, V2, query=INTS)
    assert (named["terminalCondition"]["state"], numbered["terminalCondition"]["state"]) == (
        "CONDITION_SUCCEEDED",
        4,
    )
    assert (named["ingress"], named["launchStage"]) == ("INGRESS_TRAFFIC_ALL", "GA")
    assert named["traffic"] == [{"type": "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", "percent": 100}]
    assert numbered["traffic"] == [{"type": 1, "percent": 100}]


def test_v2_service_has_a_template_and_ready_only_as_its_terminal_condition():
    service = get(api(), V2)
    assert service["template"]["containers"][0]["name"] == "emergence-app-1"
    assert service["template"]["containers"][0]["env"] == [{"name": "A", "value": "1"}]
    assert service["terminalCondition"]["type"] == "Ready"
    assert [c["type"] for c in service["conditions"]] == ["RoutesReady", "ConfigurationsReady"]


def test_not_ready_the_latest_created_failed_while_the_older_one_serves():
    service = get(api("not_ready"), V2)
    terminal = service["terminalCondition"]
    assert (terminal["state"], terminal["reason"]) == ("CONDITION_FAILED", "REVISION_FAILED")
    assert terminal["message"].startswith(f"Revision '{NEWER}' is not ready and cannot serve")
    assert service["latestCreatedRevision"].endswith(NEWER)
    assert service["latestReadyRevision"].endswith(NEW)
    assert service["trafficStatuses"][0]["revision"] == NEW
    states = {c["type"]: c["state"] for c in service["conditions"]}
    assert states == {
        "RoutesReady": "CONDITION_SUCCEEDED",
        "ConfigurationsReady": "CONDITION_FAILED",
    }


def test_v2_revisions_have_their_etag_update_time_launch_stage_scaling_status_and_names():
    revision = get(api(), f"{V2}/revisions/{FAILED}")
    assert revision["etag"] and revision["updateTime"] == revision["createTime"]
    assert revision["launchStage"] == "GA"
    assert revision["scalingStatus"] == {"desiredMinInstanceCount": 0}
    assert revision["containers"][0]["name"] == "emergence-app-1"
    ready = revision["conditions"][0]
    assert (ready["type"], ready["state"], ready["revisionReason"]) == (
        "Ready",
        "CONDITION_FAILED",
        "HEALTH_CHECK_CONTAINER_ERROR",
    )


def test_a_v1_replace_is_what_v2_reads_next_and_gcloud_waits_on_its_generation():
    admin = api()
    service = get(admin, f"{V1}/services/emergence-app")
    assert service["metadata"]["namespace"] == PROJECT_NUMBER
    assert service["status"]["observedGeneration"] == service["metadata"]["generation"] == 3
    service["spec"]["traffic"] = [{"revisionName": OLD, "percent": 100}]
    status, replaced = call(admin, "PUT", f"{V1}/services/emergence-app", service)
    assert status == 200, replaced
    # Replaced, not yet reconciled: gcloud polls until observedGeneration catches up and Ready.
    assert (replaced["metadata"]["generation"], replaced["status"]["observedGeneration"]) == (4, 3)
    assert replaced["status"]["conditions"][0] == {
        "type": "Ready",
        "status": "Unknown",
        "lastTransitionTime": replaced["status"]["conditions"][0]["lastTransitionTime"],
    }
    settle()
    assert get(admin, f"{V1}/services/emergence-app")["status"]["conditions"][0]["status"] == "True"
    v2 = get(admin, V2)
    assert v2["traffic"] == [
        {"type": "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", "revision": OLD, "percent": 100}
    ]
    assert (v2["generation"], v2["observedGeneration"]) == ("4", "4")
    assert admin.updates[-1]["spec"]["traffic"] == [{"revisionName": OLD, "percent": 100}]


def test_a_v2_update_is_what_v1_reads_next():
    admin = api("tagged_candidate")
    service = get(admin, V2, query=INTS)
    service["traffic"] = [
        {"type": 2, "revision": NEW, "percent": 100},
        {"type": 2, "revision": NEW, "tag": "candidate"},
    ]
    status, operation = call(admin, "PATCH", V2, service, query=INTS)
    assert (status, operation["done"]) == (200, False)
    traffic = get(admin, f"{V1}/services/emergence-app")["status"]["traffic"]
    assert traffic == [
        {"revisionName": NEW, "percent": 100},
        {"revisionName": NEW, "tag": "candidate", "url": admin.deployment.tag_url},
    ]


def test_a_stale_version_is_refused_in_both_protocols_and_nothing_changes():
    admin = api()
    v1 = get(admin, f"{V1}/services/emergence-app")
    v2 = get(admin, V2)
    v1["spec"]["traffic"] = [{"revisionName": OLD, "percent": 100}]
    assert call(admin, "PUT", f"{V1}/services/emergence-app", v1)[0] == 200
    v1["spec"]["traffic"] = [{"latestRevision": True, "percent": 100}]
    status, refused = call(admin, "PUT", f"{V1}/services/emergence-app", v1)
    assert (status, refused["error"]["status"]) == (409, "ABORTED")
    assert "resourceVersion" in refused["error"]["message"]
    status, refused = call(admin, "PATCH", V2, {**v2, "traffic": []})
    assert (status, refused["error"]["status"]) == (409, "ABORTED")
    assert [t["revision"] for t in get(admin, V2)["traffic"]] == [OLD]


def test_update_conflict_changes_the_version_after_every_read_of_either_protocol():
    admin = api("update_conflict")
    service = get(admin, f"{V1}/services/emergence-app")
    assert call(admin, "PUT", f"{V1}/services/emergence-app", service)[0] == 409
    assert admin.updates == []


def replace(admin: AdminApi, change):
    """A v1 replace of the service as read, after ``change`` edits its template's container
    (and may edit the whole body)."""
    service = get(admin, f"{V1}/services/emergence-app")
    change(service["spec"]["template"]["spec"]["containers"][0], service)
    return call(admin, "PUT", f"{V1}/services/emergence-app", service)


def set_env(*rows):
    def change(container, _service):
        container["env"] = list(rows)

    return change


SECRET = {"name": "S", "valueFrom": {"secretKeyRef": {"name": "db-password", "key": "3"}}}
NEW_REVISION = re.compile(r"emergence-app-00004-[a-z]{3}")


def v2_env(revision):
    return revision["containers"][0]["env"]


def test_an_env_only_replace_is_a_new_ready_revision_in_both_protocols():
    admin = api()
    status, replaced = replace(admin, set_env({"name": "A", "value": "2"}, SECRET))
    assert status == 200, replaced
    created = replaced["status"]["latestCreatedRevisionName"]
    assert NEW_REVISION.fullmatch(created)
    assert replaced["status"]["latestReadyRevisionName"] == created
    assert (replaced["metadata"]["generation"], replaced["status"]["observedGeneration"]) == (4, 3)
    assert replaced["status"]["traffic"] == [
        {"latestRevision": True, "revisionName": created, "percent": 100}
    ]
    settle()
    assert get(admin, f"{V1}/services/emergence-app")["status"]["conditions"][0]["status"] == "True"
    service = get(admin, V2)
    run_v2.Service.from_json(json.dumps(service), ignore_unknown_fields=False)
    secret_ref = {"secret": f"projects/{PROJECT_NUMBER}/secrets/db-password", "version": "3"}
    env = [{"name": "A", "value": "2"}, {"name": "S", "valueSource": {"secretKeyRef": secret_ref}}]
    assert service["template"]["containers"][0]["env"] == env
    assert service["latestReadyRevision"].endswith(f"/{created}")
    assert service["latestCreatedRevision"].endswith(f"/{created}")
    assert service["trafficStatuses"][0]["revision"] == created
    assert (service["generation"], service["observedGeneration"]) == ("4", "4")
    listing = get(admin, f"{V2}/revisions", query=INTS)
    run_v2.ListRevisionsResponse.from_json(json.dumps(listing), ignore_unknown_fields=False)
    revisions = {r["name"].rsplit("/", 1)[-1]: r for r in listing["revisions"]}
    assert list(revisions) == [OLD, FAILED, NEW, created]
    assert (v2_env(revisions[created]), v2_env(revisions[NEW])) == (
        env,
        [{"name": "A", "value": "1"}],
    )
    assert revisions[created]["etag"] == f'"{created}-4"'
    v1 = get(admin, f"{V1}/revisions/{created}")
    assert v1["spec"]["containers"][0]["env"] == [{"name": "A", "value": "2"}, SECRET]
    assert v1["metadata"]["labels"]["serving.knative.dev/configurationGeneration"] == "4"
    old = get(admin, f"{V1}/revisions/{NEW}")["spec"]["containers"][0]["env"]
    assert old == [{"name": "A", "value": "1"}]
    # No longer the latest, and serving nothing, the revision that was checked may be deleted.
    assert call(admin, "DELETE", f"{V1}/revisions/{NEW}")[0] == 200


def test_what_gcloud_sends_a_digest_a_nonce_and_its_annotations_is_a_new_revision():
    admin = api("not_ready")  # the latest created (00004) failed: the new one is 00005
    digest = get(admin, f"{V1}/revisions/{NEWER}")["status"]["imageDigest"]

    def gcloud_update(container, service):
        template = service["spec"]["template"]
        template["metadata"]["labels"] = {"client.knative.dev/nonce": "abcdefghij"}
        template["metadata"]["annotations"]["run.googleapis.com/client-name"] = "gcloud"
        container["image"] = digest

    status, replaced = replace(admin, gcloud_update)
    assert status == 200, replaced
    created = replaced["status"]["latestCreatedRevisionName"]
    assert re.fullmatch(r"emergence-app-00005-[a-z]{3}", created)
    template = replaced["spec"]["template"]
    assert template["metadata"]["labels"] == {"client.knative.dev/nonce": "abcdefghij"}
    assert template["spec"]["containers"][0]["image"] == digest
    settle()
    service = get(admin, V2)
    # The digest gcloud pinned is the failed revision's: the same image fails the same way, and
    # the revision checked before still serves (test_failed_reconcile has the whole state).
    assert service["terminalCondition"]["state"] == "CONDITION_FAILED"
    assert service["latestCreatedRevision"].endswith(f"/{created}")
    assert service["latestReadyRevision"].endswith(f"/{NEW}")
    revision = get(admin, f"{V2}/revisions/{created}")
    assert revision["containers"][0]["image"] == digest
    assert get(admin, f"{V1}/revisions/{created}")["status"]["imageDigest"] == digest
    # The template as read again (its nonce, its digest) is no new revision: a traffic change.
    v1 = get(admin, f"{V1}/services/emergence-app")
    assert call(admin, "PUT", f"{V1}/services/emergence-app", v1)[0] == 200
    assert get(admin, V2)["latestCreatedRevision"].endswith(f"/{created}")


def test_traffic_pinned_to_a_revision_stays_and_a_latest_target_follows_the_new_one():
    admin = api()

    def split(container, service):
        container["env"] = [{"name": "A", "value": "2"}]
        service["spec"]["traffic"] = [
            {"latestRevision": True, "percent": 60},
            {"revisionName": OLD, "percent": 40, "tag": "old"},
        ]

    status, replaced = replace(admin, split)
    assert status == 200, replaced
    created = replaced["status"]["latestCreatedRevisionName"]
    statuses = get(admin, V2)["trafficStatuses"]
    assert [(t["revision"], t.get("percent"), t["type"]) for t in statuses] == [
        (created, 60, "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST"),
        (OLD, 40, "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION"),
    ]


def test_a_revision_name_the_template_gives_is_used_once():
    admin = api()

    def named(name, value):
        def change(container, service):
            service["spec"]["template"]["metadata"]["name"] = name
            container["env"] = [{"name": "A", "value": value}]

        return change

    status, replaced = replace(admin, named("emergence-app-mine", "2"))
    assert (status, replaced["status"]["latestCreatedRevisionName"]) == (200, "emergence-app-mine")
    status, refused = replace(admin, named("emergence-app-mine", "3"))
    assert (status, refused["error"]["status"]) == (409, "ALREADY_EXISTS")
    assert refused["error"]["message"] == (
        "Revision named 'emergence-app-mine' with different configuration already exists."
    )


CANNOT_DEPLOY = (
    "The sandbox's Admin API changes a service's traffic and tags only; this request changes its "
    "containers (a new revision), which it cannot deploy."
)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("image", "europe-west1-docker.pkg.dev/sandbox-project/apps/emergence-app:other"),
        ("image", "europe-west1-docker.pkg.dev/sandbox-project/apps/emergence-app@sha256:00"),
        ("resources", {"limits": {"cpu": "2", "memory": "1Gi"}}),
        ("ports", [{"name": "h2c", "containerPort": 8080}]),
    ],
)
def test_a_replace_that_changes_the_container_beyond_its_env_is_refused(field, value):
    admin = api()

    def change(container, _service):
        container.update({field: value, "env": []})

    status, refused = replace(admin, change)
    assert (status, refused["error"]) == (
        400,
        {"code": 400, "message": CANNOT_DEPLOY, "status": "FAILED_PRECONDITION"},
    )
    service = get(admin, V2)
    assert (service["generation"], service["latestCreatedRevision"].rsplit("/", 1)[-1]) == (
        "3",
        NEW,
    )
    assert admin.updates == []


def test_a_replace_that_changes_the_revision_spec_or_its_annotations_is_refused():
    def change(_container, service):
        template = service["spec"]["template"]
        template["spec"]["timeoutSeconds"] = 30
        template["metadata"]["annotations"]["autoscaling.knative.dev/maxScale"] = "3"

    status, refused = replace(api(), change)
    assert (status, refused["error"]["status"]) == (400, "FAILED_PRECONDITION")
    assert (
        "its revision template (timeoutSeconds, metadata.annotations)"
        in refused["error"]["message"]
    )


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"name": "A", "value": "1"}, {"name": "A", "value": "2"}], "env: A is given twice."),
        (
            [{"name": "C", "valueFrom": {"configMapKeyRef": {"name": "c", "key": "k"}}}],
            "env[0]: the sandbox takes a value or a valueFrom.secretKeyRef only.",
        ),
        ([{"value": "1"}], "env[0].name: a name is required."),
    ],
)
def test_an_env_the_api_would_not_take_is_invalid(rows, message):
    status, refused = replace(api(), set_env(*rows))
    assert (status, refused["error"]["status"]) == (400, "INVALID_ARGUMENT")
    assert refused["error"]["message"] == f"spec.template.spec.containers[0].{message}"


@pytest.mark.parametrize(("fault", "status"), [("update_conflict", 409), ("update_403", 403)])
def test_the_update_faults_refuse_an_env_change_and_no_revision_is_made(fault, status):
    admin = api(fault)
    assert replace(admin, set_env({"name": "A", "value": "2"}))[0] == status
    assert [r["name"].rsplit("/", 1)[-1] for r in get(admin, f"{V2}/revisions")["revisions"]] == [
        OLD,
        FAILED,
        NEW,
    ]
    assert admin.updates == []


def test_a_v2_update_applies_its_traffic_and_ignores_a_changed_template():
    admin = api()
    service = get(admin, V2)
    service["template"]["containers"][0]["env"] = [{"name": "A", "value": "2"}]
    service["traffic"] = [
        {"type": "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", "revision": OLD, "percent": 100}
    ]
    assert call(admin, "PATCH", V2, service)[0] == 200
    after = get(admin, V2)
    assert after["latestCreatedRevision"].endswith(f"/{NEW}")
    assert after["template"]["containers"][0]["env"] == [{"name": "A", "value": "1"}]
    assert [t["revision"] for t in after["traffic"]] == [OLD]


@pytest.mark.parametrize(
    ("traffic", "message"),
    [
        ([{"revisionName": "emergence-app-00009-zzz", "percent": 100}], "does not exist"),
        ([{"revisionName": OLD, "percent": 50}], "add up to 100; these add up to 50"),
    ],
)
def test_traffic_to_an_unknown_revision_or_not_summing_to_100_is_invalid(traffic, message):
    admin = api()
    service = get(admin, f"{V1}/services/emergence-app")
    service["spec"]["traffic"] = traffic
    status, refused = call(admin, "PUT", f"{V1}/services/emergence-app", service)
    assert (status, refused["error"]["status"]) == (400, "INVALID_ARGUMENT")
    assert message in refused["error"]["message"]


def test_revisions_are_listed_by_gclouds_label_selector_and_active_is_the_serving_one():
    admin = api()
    query = {"labelSelector": ["serving.knative.dev/service = emergence-app"]}
    listing = get(admin, f"{V1}/revisions", query=query)
    assert listing["metadata"] == {} and [r["metadata"]["name"] for r in listing["items"]] == [
        OLD,
        FAILED,
        NEW,
    ]
    active = {
        r["metadata"]["name"]: next(c for c in r["status"]["conditions"] if c["type"] == "Active")
        for r in listing["items"]
    }
    assert [name for name, c in active.items() if c["status"] == "True"] == [NEW]
    other = {"labelSelector": ["serving.knative.dev/service = another"]}
    assert get(admin, f"{V1}/revisions", query=other)["items"] == []


@pytest.mark.parametrize(
    ("revision", "why"),
    [(NEW, "it is the latest revision of the service"), (OLD, "it can receive traffic")],
)
def test_a_revision_that_is_the_latest_or_can_receive_traffic_cannot_be_deleted(revision, why):
    admin = api("tagged_candidate")  # OLD serves 100%, NEW is tagged (and the latest)
    status, refused = call(admin, "DELETE", f"{V1}/revisions/{revision}")
    assert (status, refused["error"]["status"]) == (400, "FAILED_PRECONDITION")
    assert refused["error"]["message"] == f"Revision '{revision}' cannot be deleted: {why}."


def test_a_deleted_revision_is_gone_from_both_protocols():
    admin = api()
    status, deleted = call(admin, "DELETE", f"{V1}/revisions/{FAILED}")
    assert (status, deleted["status"]) == (200, "Success")
    assert call(admin, "GET", f"{V1}/revisions/{FAILED}")[0] == 404
    assert call(admin, "GET", f"{V2}/revisions/{FAILED}")[0] == 404
    names = [r["name"].rsplit("/", 1)[-1] for r in get(admin, f"{V2}/revisions")["revisions"]]
    assert names == [OLD, NEW]
    status, operation = call(admin, "DELETE", f"{V2}/revisions/{OLD}")
    assert (status, operation["done"], operation["response"]["name"]) == (
        200,
        True,
        f"{admin.deployment.service_name}/revisions/{OLD}",
    )
    status, refused = call(admin, "DELETE", f"{V2}/revisions/{NEW}")
    assert status == 400 and refused["error"]["message"].endswith(
        "the only revision of the service."
    )


def test_v1_reads_the_region_from_gclouds_host():
    admin = api()
    elsewhere = "us-central1-127.0.0.1:8000"
    status, answer = call(admin, "GET", f"{V1}/services/emergence-app", host=elsewhere)
    assert (status, answer["error"]["message"]) == (
        404,
        "Resource 'emergence-app' of kind 'SERVICE' in region 'us-central1' in project "
        "'sandbox-project' does not exist.",
    )
    assert get(admin, f"{V1}/services", host=elsewhere)["items"] == []
    status, answer = call(admin, "GET", f"{V1}/services", host="nowhere-127.0.0.1:8000")
    assert (status, answer["error"]["message"]) == (
        404,
        "Location nowhere of sandbox-project not found",
    )
    assert call(admin, "GET", f"{V1}/services/emergence-app", host="127.0.0.1:8000")[0] == 200


def test_in_another_region_v2_has_no_services_and_the_404_names_that_region():
    admin = api()
    us = "/v2/projects/sandbox-project/locations/us-central1/services"
    assert get(admin, us) == {"services": []}
    for path in (
        f"{us}/emergence-app",
        f"{us}/emergence-app/revisions",
        f"{us}/emergence-app:getIamPolicy",
    ):
        status, answer = call(admin, "GET", path)
        assert (status, answer["error"]["status"]) == (404, "NOT_FOUND"), path
    message = call(admin, "GET", f"{us}/emergence-app")[1]["error"]["message"]
    assert message == (
        "Resource 'emergence-app' of kind 'SERVICE' in region 'us-central1' in project "
        "'sandbox-project' does not exist."
    )
    status, answer = call(admin, "GET", "/v2/projects/sandbox-project/locations/moon/services")
    assert (status, answer["error"]["message"]) == (
        404,
        "Location moon of sandbox-project not found",
    )


@pytest.mark.parametrize(("fault", "status"), [("api_403", 403), ("api_404", 404)])
def test_the_admin_api_faults_apply_to_v1_as_well(fault, status):
    assert call(api(fault), "GET", f"{V1}/services/emergence-app")[0] == status


def test_an_iam_binding_set_in_one_version_is_read_in_the_other_and_opens_the_front_door():
    admin = api("private")
    v1_iam = "/v1/projects/sandbox-project/locations/europe-west1/services/emergence-app"
    policy = get(admin, f"{v1_iam}:getIamPolicy")
    assert policy["bindings"] == [] and not admin.state.iam.public()
    policy["bindings"] = [{"role": "roles/run.invoker", "members": ["allUsers"]}]
    status, updated = call(admin, "POST", f"{v1_iam}:setIamPolicy", {"policy": policy})
    assert status == 200 and updated["etag"] != policy["etag"]
    assert get(admin, f"{V2}:getIamPolicy")["bindings"] == policy["bindings"]
    assert admin.state.iam.public()
    status, stale = call(admin, "POST", f"{V2}:setIamPolicy", {"policy": policy})
    assert (status, stale["error"]["status"]) == (409, "ABORTED")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PATCH", f"{V1}/services/emergence-app"),
        ("PUT", V2),
        ("DELETE", f"{V1}/services/emergence-app"),
        ("POST", f"{V2}/revisions"),
        ("POST", f"{V2}:getIamPolicy"),
        ("GET", "/v3/anything"),
    ],
)
def test_a_method_a_path_does_not_answer_is_not_found(method, path):
    status, answer = call(api(), method, path, {})
    assert (status, answer["error"]["message"]) == (404, f"Method not found: {method} {path}")


def test_each_revision_is_described_as_it_runs_in_both_protocols():
    env = {"CONCEPT_RECALL_METRICS_ENABLED": "true", "GOOGLE_ALLOWED_EMAILS": "op@example.com"}
    deployment = plan_deployment(behaviour_for(["candidate_config_changed"]), env, (), {}, 0.0)
    admin = AdminApi(ServiceState(deployment, Traffic(deployment)))
    v2 = {
        name: run_v2.Revision.from_json(
            json.dumps(get(admin, f"{V2}/revisions/{name}")), ignore_unknown_fields=False
        )
        for name in (OLD, NEW)
    }
    for revision in v2.values():
        assert revision.service_account == f"{PROJECT_NUMBER}-compute@developer.gserviceaccount.com"
        assert revision.max_instance_request_concurrency == 80
    (old,), (new,) = v2[OLD].containers, v2[NEW].containers
    assert {e.name: e.value for e in new.env} == env
    assert {e.name: e.value for e in old.env} == {
        **env,
        "GOOGLE_ALLOWED_EMAILS": "former@example.com",
    }
    assert (old.resources.limits["memory"], new.resources.limits["memory"]) == ("2Gi", "4Gi")
    assert old.image == new.image
    v1 = {name: get(admin, f"{V1}/revisions/{name}")["spec"] for name in (OLD, NEW)}
    for spec in v1.values():
        assert (
            spec["serviceAccountName"] == f"{PROJECT_NUMBER}-compute@developer.gserviceaccount.com"
        )
        assert spec["containerConcurrency"] == 80
    limits = [v1[name]["containers"][0]["resources"]["limits"]["memory"] for name in (OLD, NEW)]
    assert limits == ["2Gi", "4Gi"]
    # The service's template is its latest created revision's: the candidate's.
    template = get(admin, V2)["template"]["containers"][0]
    assert template["resources"]["limits"]["memory"] == "4Gi"
    assert {e["name"]: e["value"] for e in template["env"]} == env


def test_outside_the_candidate_flow_every_revision_runs_the_deploys_config():
    admin = api("env_drift")
    envs = [v2_env(r) for r in get(admin, f"{V2}/revisions")["revisions"]]
    assert envs == [envs[0]] * 3
