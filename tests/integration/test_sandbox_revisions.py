"""The candidate flow's two live revisions, through the sandbox's real URLs: the service URL
answered by the stable revision, the tag URL by the candidate, each as its profile says; a tag
added by an UpdateService (the real google-cloud-run client) answered at its own URL."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx
import pytest
from google.api_core.client_options import ClientOptions
from google.api_core.future.polling import DEFAULT_POLLING
from google.auth.credentials import AnonymousCredentials
from google.cloud import run_v2
from prometheus_client.parser import text_string_to_metric_families

from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.config.envfile import load_env_file
from cloudrun_acceptance.google.admin import describe_service
from cloudrun_acceptance.model.service import ServiceRef
from cloudrun_acceptance.sandbox.launcher import Sandbox, start_sandbox
from cloudrun_acceptance.sandbox.platform.deployment import (
    FAILED_REVISION,
    PREVIOUS_REVISION,
    REVISION,
    SESSION_ID,
)
from tests.integration.gcloudkit import gcloud, needs_gcloud
from tests.paths import REPO, SHIPPED_CONTRACT

COMPARISON = (
    "candidate_slower",
    "candidate_errors",
    "candidate_metric_lost",
    "candidate_config_changed",
    "compare_few_samples",
)
ANALYZE = "/api/memory/analyze"
REVISION_TYPE = run_v2.TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION
# As the gate polls an update's operation (the library's default waits 1 s before its first look).
POLLING = DEFAULT_POLLING.with_delay(initial=0.1, maximum=0.5, multiplier=1.5).with_timeout(10)


@contextmanager
def sandbox(*faults: str) -> Iterator[Sandbox]:
    """A sandbox of the shipped contract and env.yaml, with ``faults``."""
    running = start_sandbox(
        load_contract(SHIPPED_CONTRACT),
        load_env_file(REPO / "env.yaml"),
        faults=faults,
        analysis_seconds=0.05,
    )
    try:
        yield running
    finally:
        running.stop()


def candidate_url(running: Sandbox) -> str:
    return running.tag_urls()["candidate"]


def answered_by(running: Sandbox, url: str) -> list[str]:
    """The revision that answered each request to ``url``, in the request log."""
    return [
        entry["resource"]["labels"]["revision_name"]
        for entry in running.log.entries
        if entry.get("httpRequest", {}).get("requestUrl", "").startswith(f"{url}/")
    ]


def admin_clients(running: Sandbox) -> tuple[run_v2.ServicesClient, run_v2.RevisionsClient]:
    """google-cloud-run's REST clients, pointed at the sandbox as the gate points them."""
    options = ClientOptions(api_endpoint=running.admin_endpoint)
    credentials = AnonymousCredentials()  # type: ignore[no-untyped-call]
    services = run_v2.ServicesClient(
        transport="rest", client_options=options, credentials=credentials
    )
    revisions = run_v2.RevisionsClient(
        transport="rest", client_options=options, credentials=credentials
    )
    return services, revisions


@pytest.mark.parametrize("fault", COMPARISON)
def test_the_service_url_and_the_tag_url_answer_with_the_two_revisions(fault):
    with sandbox(fault) as running, httpx.Client(timeout=10) as client:
        stable, candidate = running.service_url, candidate_url(running)
        assert client.get(f"{stable}/api/health").status_code in {200, 500}
        assert client.get(f"{candidate}/api/health").status_code in {200, 500}
        assert answered_by(running, stable) == [PREVIOUS_REVISION]
        assert answered_by(running, candidate) == [REVISION]


def test_candidate_slower_its_cached_call_takes_about_40_percent_longer():
    with sandbox("candidate_slower") as running, httpx.Client(timeout=10) as client:
        urls = {"stable": running.service_url, "candidate": candidate_url(running)}
        first = client.post(f"{urls['candidate']}{ANALYZE}", json={"session_id": SESSION_ID})
        assert first.json()["cached"] is False  # analysed: the shared cache holds it for both
        times: dict[str, list[float]] = {name: [] for name in urls}
        for _ in range(30):
            for name, url in urls.items():  # interleaved: the machine's noise hits both alike
                started = time.perf_counter()
                answer = client.post(f"{url}{ANALYZE}", json={"session_id": SESSION_ID})
                times[name].append(time.perf_counter() - started)
                assert answer.json()["cached"] is True
        ratio = statistics.median(times["candidate"]) / statistics.median(times["stable"])
        assert 1.25 < ratio < 1.6, times


def health_statuses(url: str, calls: int) -> list[int]:
    """The status of each of ``calls`` health requests to ``url``, eight at a time."""
    with httpx.Client(timeout=10) as client, ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda _: client.get(f"{url}/api/health").status_code, range(calls)))


def test_candidate_errors_some_of_the_candidates_answers_are_500_and_none_of_the_stables():
    with sandbox("candidate_errors") as running:
        candidate = health_statuses(candidate_url(running), 500)
        stable = health_statuses(running.service_url, 500)
    assert 500 in candidate and set(candidate) == {200, 500}
    assert candidate.count(500) < 50  # about 2%
    assert set(stable) == {200}


def test_candidate_metric_lost_the_expositions_differ_by_that_family():
    with sandbox("candidate_metric_lost") as running, httpx.Client(timeout=10) as client:
        families = {}
        for url in (running.service_url, candidate_url(running)):
            text = client.get(f"{url}/api/metrics").text
            families[url] = {family.name for family in text_string_to_metric_families(text)}
    stable, candidate = families.values()
    assert stable - candidate == {"memory_analysis_cache_size"}
    assert candidate - stable == set()


def test_candidate_config_changed_the_revisions_differ_in_one_env_var_and_the_memory():
    with sandbox("candidate_config_changed") as running:
        _, revisions = admin_clients(running)
        name = running.deployment.service_name
        stable, candidate = (
            revisions.get_revision(name=f"{name}/revisions/{revision}").containers[0]
            for revision in (PREVIOUS_REVISION, REVISION)
        )
    env = load_env_file(REPO / "env.yaml")
    plain = {e.name: e.value for e in candidate.env if not e.value_source.secret_key_ref.secret}
    assert plain == env
    old = {e.name: e.value for e in stable.env if not e.value_source.secret_key_ref.secret}
    assert {k for k in {*old, *plain} if old.get(k) != plain.get(k)} == {"GOOGLE_ALLOWED_EMAILS"}
    assert old["CONCEPT_RECALL_METRICS_ENABLED"] == plain["CONCEPT_RECALL_METRICS_ENABLED"]
    assert dict(candidate.resources.limits) == {"cpu": "2", "memory": "4Gi"}
    assert dict(stable.resources.limits) == {"cpu": "2", "memory": "2Gi"}
    assert [e.value_source.secret_key_ref.version for e in stable.env if not e.value] == [
        e.value_source.secret_key_ref.version for e in candidate.env if not e.value
    ]


def test_compare_few_samples_both_revisions_answer_after_half_a_second():
    with sandbox("compare_few_samples") as running, httpx.Client(timeout=10) as client:
        for url in (running.service_url, candidate_url(running)):
            started = time.perf_counter()
            assert client.get(f"{url}/api/health").status_code == 200
            assert time.perf_counter() - started >= 0.5


def test_a_baseline_tag_answers_with_the_stable_revision_and_a_promotion_moves_the_service_url():
    with sandbox("tagged_candidate") as running, httpx.Client(timeout=10) as client:
        services, _ = admin_clients(running)
        name = running.deployment.service_name
        service = services.get_service(name=name)
        service.traffic.append(
            run_v2.TrafficTarget(type_=REVISION_TYPE, revision=PREVIOUS_REVISION, tag="baseline")
        )
        services.update_service(service=service).result(timeout=10, polling=POLLING)
        described = services.get_service(name=name)
        uris = {status.tag: status.uri for status in described.traffic_statuses if status.tag}
        assert set(uris) == {"candidate", "baseline"}
        assert uris == running.tag_urls()
        assert len({running.service_url, *uris.values()}) == 3
        assert client.get(f"{uris['baseline']}/api/health").json()["revision"] == PREVIOUS_REVISION
        assert answered_by(running, uris["baseline"]) == [PREVIOUS_REVISION]
        # Only the tags changed: the stable revision still serves every share.
        shares = [(s.revision, s.percent) for s in described.traffic_statuses if s.percent]
        assert shares == [(PREVIOUS_REVISION, 100)]
        # Promoted, the candidate answers at the service URL; the baseline tag still leads to
        # the stable revision.
        promoted = services.get_service(name=name)
        promoted.traffic[0].revision = REVISION
        services.update_service(service=promoted).result(timeout=10, polling=POLLING)
        assert client.get(f"{running.service_url}/api/health").json()["revision"] == REVISION
        assert client.get(f"{uris['baseline']}/api/health").json()["revision"] == (
            PREVIOUS_REVISION
        )
        assert client.get(f"{uris['candidate']}/api/health").json()["revision"] == REVISION


@needs_gcloud
def test_a_baseline_tag_added_by_gcloud_answers_with_the_stable_revision():
    with sandbox("tagged_candidate") as running, httpx.Client(timeout=10) as client:
        tagged = gcloud(
            running,
            "run",
            "services",
            "update-traffic",
            running.deployment.service,
            "--update-tags",
            f"baseline={PREVIOUS_REVISION}",
            "--region",
            running.deployment.region,
            "--project",
            running.deployment.project,
        )
        assert tagged.returncode == 0, tagged.stderr
        baseline = running.tag_urls()["baseline"]
        assert baseline not in {running.service_url, candidate_url(running)}
        assert baseline in tagged.stdout  # gcloud prints each tag's URL
        assert client.get(f"{baseline}/api/health").json()["revision"] == PREVIOUS_REVISION
        shares = [(s["revision"], s["percent"]) for s in running.traffic.statuses() if s["percent"]]
        assert shares == [(PREVIOUS_REVISION, 100)]


def test_an_update_that_renames_an_existing_revision_is_refused_unless_masked_to_traffic(
    running_sandbox,
):
    from google.api_core import exceptions
    from google.protobuf.field_mask_pb2 import FieldMask

    services, _ = admin_clients(running_sandbox)
    name = running_sandbox.deployment.service_name
    service = services.get_service(name=name)
    # The whole service re-sent, its template naming the serving revision with another env:
    # a revision is immutable, so Cloud Run refuses it (409 ALREADY_EXISTS).
    service.template.revision = running_sandbox.deployment.revision
    service.template.containers[0].env.append(run_v2.EnvVar(name="NEW", value="1"))
    with pytest.raises(exceptions.Conflict, match="with different configuration already exists"):
        services.update_service(service=service)
    masked = run_v2.UpdateServiceRequest(service=service, update_mask=FieldMask(paths=["traffic"]))
    with pytest.raises(exceptions.Conflict, match="with different configuration already exists"):
        services.update_service(request=masked)  # the mask notwithstanding, as Cloud Run does
    # As the gate sends it: masked to the traffic, its template naming no revision.
    masked.service.template.revision = ""
    services.update_service(request=masked).result(timeout=10)
    with pytest.raises(exceptions.BadRequest, match="only traffic can be updated here"):
        services.update_service(
            request=run_v2.UpdateServiceRequest(
                service=service, update_mask=FieldMask(paths=["template"])
            )
        )


@needs_gcloud
def test_a_gcloud_update_whose_revision_fails_is_a_failed_deploy_that_gcloud_and_the_gate_read():
    """``not_ready``: the latest created revision failed to start, and ``gcloud run services
    update`` pins the image to its digest, so the env change makes a revision that fails too.
    gcloud waits until the new generation is observed, then fails with the Ready condition's
    message, as on Cloud Run; the service it describes and the one the gate reads (v2) agree:
    observed, failed, the revision before still serving."""
    where = ("--region", "europe-west1", "--project", "sandbox-project")
    with sandbox("not_ready") as running:
        updated = gcloud(
            running,
            "run",
            "services",
            "update",
            "emergence-app",
            "--update-env-vars",
            "B=2",
            *where,
        )
        assert updated.returncode == 1, updated.stderr
        assert "ERROR: (gcloud.run.services.update) Revision 'emergence-app-00005-" in (
            updated.stderr
        )
        assert "is not ready and cannot serve traffic." in updated.stderr
        described = gcloud(
            running, "run", "services", "describe", "emergence-app", *where, "--format=json"
        )
        assert described.returncode == 0, described.stderr
        v1 = json.loads(described.stdout)
        status = v1["status"]
        created = status["latestCreatedRevisionName"]
        assert created.startswith("emergence-app-00005-") and created != FAILED_REVISION
        assert (v1["metadata"]["generation"], status["observedGeneration"]) == (4, 4)
        assert status["latestReadyRevisionName"] == REVISION
        assert {c["type"]: (c["status"], c.get("reason")) for c in status["conditions"]} == {
            "Ready": ("False", "RevisionFailed"),
            "ConfigurationsReady": ("False", "RevisionFailed"),
            "RoutesReady": ("True", None),
        }
        assert status["traffic"] == [
            {"latestRevision": True, "percent": 100, "revisionName": REVISION}
        ]
        text = gcloud(running, "run", "services", "describe", "emergence-app", *where)
        # gcloud's mark for a service whose latest revision failed while an older one serves.
        assert "! Service emergence-app in region europe-west1" in text.stdout, text.stdout
        assert f"  100% LATEST (currently {REVISION})" in text.stdout.splitlines()

        ref = ServiceRef("sandbox-project", "europe-west1", "emergence-app")
        facts = describe_service(ref, endpoint=running.admin_endpoint)
        # Through v2 the observed generation stays at the last serving state's (the deploy's
        # own failed too): the gate takes the deploy as settled all the same, failed.
        assert (facts.generation, facts.observed_generation, facts.reconciling) == (4, 2, False)
        assert facts.settled
        assert (facts.latest_created, facts.latest_ready) == (created, REVISION)
        assert facts.newest is not None and facts.newest.name == created
        assert (facts.newest.ready, facts.newest.ready_reason) == (
            False,
            "HEALTH_CHECK_CONTAINER_ERROR",
        )
        assert [(row.revision, row.percent, row.latest) for row in facts.traffic] == [
            (REVISION, 100, True)
        ]
        services, _ = admin_clients(running)
        service = services.get_service(name=running.deployment.service_name)
        failed = run_v2.Condition.State.CONDITION_FAILED
        assert service.terminal_condition.state == failed
        assert service.terminal_condition.message.startswith(f"Revision '{created}' is not ready")
        assert {c.type_: c.state for c in service.conditions} == {
            "RoutesReady": run_v2.Condition.State.CONDITION_SUCCEEDED,
            "ConfigurationsReady": failed,
        }
