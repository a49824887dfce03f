"""The live revisions: in the candidate flow the stable revision and the candidate are two
reference services (their own behaviour, env, instances, registries, errors), each reached at
the URL that leads to it; in the other flows one app answers, as before."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

import httpx
from prometheus_client.parser import text_string_to_metric_families

from cloudrun_acceptance.sandbox.faults.profiles import (
    LOST_METRIC,
    STABLE_ENV_CHANGES,
    Behaviour,
    behaviour_for,
)
from cloudrun_acceptance.sandbox.platform.deployment import (
    SESSION_ID,
    Deployment,
    LogStore,
    loopback_url,
    plan_deployment,
)
from cloudrun_acceptance.sandbox.platform.frontend import Frontend
from cloudrun_acceptance.sandbox.platform.traffic import Target, Traffic
from cloudrun_acceptance.sandbox.reference.liverevisions import (
    LiveRevision,
    log_startup,
    start_revisions,
)

ENV = {"CONCEPT_RECALL_METRICS_ENABLED": "true", "GOOGLE_ALLOWED_EMAILS": "op@example.com"}
SERVICE_PORT, TAG_PORT = 9000, 9001
OLD, NEW = "emergence-app-00001-xyz", "emergence-app-00003-abc"


def deployment(*faults: str, behaviour: Behaviour | None = None) -> Deployment:
    planned = plan_deployment(behaviour or behaviour_for(faults), ENV, (), {"cpu": "2"}, 0.01)
    urls = {"service_url": loopback_url(SERVICE_PORT), "tag_url": loopback_url(TAG_PORT)}
    return replace(planned, **urls)


class Service:
    """The front end over the live revisions of a deployment, called in-process."""

    def __init__(self, d: Deployment, seed: int = 7) -> None:
        self.log = LogStore(d)
        self.live = start_revisions(d, self.log, seed)
        self.traffic = Traffic(d, tag_ports=(TAG_PORT,))
        apps = {name: revision.app for name, revision in self.live.items()}
        self.frontend = Frontend(
            self.live[d.revision].app, d, self.log, self.traffic, revisions=apps
        )

    def calls(self, *calls: tuple[int, str, str, dict | None]) -> list[httpx.Response]:
        """Each (port, method, path, json body) in turn."""

        async def send() -> list[httpx.Response]:
            transport = httpx.ASGITransport(app=self.frontend)
            answers = []
            async with httpx.AsyncClient(transport=transport) as client:
                for port, method, path, body in calls:
                    url = f"{loopback_url(port)}{path}"
                    answers.append(await client.request(method, url, json=body))
            return answers

        return asyncio.run(send())

    def health(self, port: int, times: int = 1) -> list[httpx.Response]:
        return self.calls(*[(port, "GET", "/api/health", None)] * times)

    def revisions_logged(self) -> list[str]:
        return [
            e["resource"]["labels"]["revision_name"] for e in self.log.entries if "httpRequest" in e
        ]


def test_the_candidate_flow_has_two_live_revisions_each_with_its_own_instances():
    service = Service(deployment("tagged_candidate"))
    assert list(service.live) == [OLD, NEW]
    stable, candidate = service.live.values()
    assert stable.fleet is not candidate.fleet
    assert stable.fleet.instances[0].registry is not candidate.fleet.instances[0].registry
    assert list(Service(deployment()).live) == [NEW]


def test_each_url_is_answered_by_its_revision_and_logged_under_it():
    service = Service(deployment("tagged_candidate"))
    stable, candidate = service.health(SERVICE_PORT)[0], service.health(TAG_PORT)[0]
    assert (stable.json()["revision"], candidate.json()["revision"]) == (OLD, NEW)
    assert service.revisions_logged() == [OLD, NEW]


def test_a_promotion_leads_the_service_url_to_the_candidates_app():
    service = Service(deployment("tagged_candidate"))
    service.traffic.set([Target(NEW, 100), Target(NEW, 0, "candidate")])
    assert service.health(SERVICE_PORT)[0].json()["revision"] == NEW
    assert service.revisions_logged() == [NEW]


def test_outside_the_candidate_flow_one_app_answers_whatever_revision_the_traffic_names():
    service = Service(deployment("served_by_other"))
    assert service.health(SERVICE_PORT)[0].json()["revision"] == NEW
    assert service.revisions_logged() == [OLD]


def test_the_revisions_share_the_analyses_cache_as_an_external_store():
    service = Service(deployment("tagged_candidate"))
    analyse = "/api/memory/analyze"
    forced, cached = service.calls(
        (TAG_PORT, "POST", analyse, {"session_id": SESSION_ID, "force": True}),
        (SERVICE_PORT, "POST", analyse, {"session_id": SESSION_ID}),
    )
    assert (forced.json()["cached"], cached.json()["cached"]) == (False, True)
    stable, candidate = service.live.values()
    assert (dict(stable.fleet.analyses), dict(candidate.fleet.analyses)) == (
        {"unforced": 1},
        {"forced": 1},
    )


def families(service: Service, port: int) -> set[str]:
    text = service.calls((port, "GET", "/api/metrics", None))[0].text
    return {family.name for family in text_string_to_metric_families(text)}


def test_candidate_metric_lost_the_candidates_exposition_lacks_one_family_the_stable_has():
    service = Service(deployment("candidate_metric_lost"))
    stable, candidate = families(service, SERVICE_PORT), families(service, TAG_PORT)
    assert stable - candidate == {LOST_METRIC} and candidate <= stable
    assert len(families(Service(deployment("tagged_candidate")), TAG_PORT)) == len(stable)


def erring(seed: int, *, evenly: bool = False) -> Service:
    # Without the candidate flow's 5 ms of health (slowdown 0), a thousand calls take a second.
    behaviour = replace(behaviour_for(["candidate_errors"]), slowdown=0.0, errors_evenly=evenly)
    return Service(deployment(behaviour=behaviour), seed)


def test_candidate_errors_every_fiftieth_of_the_candidates_answers_is_500():
    candidate = [r.status_code for r in erring(11, evenly=True).health(TAG_PORT, 500)]
    assert [i + 1 for i, status in enumerate(candidate) if status == 500] == list(
        range(50, 501, 50)
    )


def test_at_random_about_two_percent_of_the_candidates_answers_are_500():
    service = erring(11)
    candidate = [r.status_code for r in service.health(TAG_PORT, 500)]
    stable = [r.status_code for r in service.health(SERVICE_PORT, 100)]
    assert set(candidate) == {200, 500} and 3 <= candidate.count(500) <= 25
    assert set(stable) == {200}
    # The seeds (one per start) decide which: the same seed draws the same errors.
    assert [r.status_code for r in erring(11).health(TAG_PORT, 500)] == candidate
    assert [r.status_code for r in erring(12).health(TAG_PORT, 500)] != candidate


def test_candidate_errors_also_hit_the_cached_call():
    d = deployment(behaviour=replace(behaviour_for(["candidate_errors"]), error_rate=1.0))
    service = Service(d)
    body = {"session_id": SESSION_ID}
    first, hit = service.calls(
        (TAG_PORT, "POST", "/api/memory/analyze", body),
        (TAG_PORT, "POST", "/api/memory/analyze", body),
    )
    assert (first.status_code, hit.status_code) == (200, 500)  # the analysis itself is not hit


def test_compare_few_samples_every_request_of_either_revision_waits():
    d = deployment(behaviour=replace(behaviour_for(["compare_few_samples"]), overload_seconds=0.1))
    service = Service(d)
    for port in (SERVICE_PORT, TAG_PORT):
        started = time.perf_counter()
        service.calls((port, "GET", "/login", None))
        assert time.perf_counter() - started >= 0.1


def test_candidate_config_changed_the_stable_revision_runs_the_older_env_and_memory():
    d = deployment("candidate_config_changed")
    stable, candidate = d.runtime_of(OLD), d.runtime_of(NEW)
    assert candidate.env == ENV and candidate.resources["memory"] == "4Gi"
    assert stable.env == {**ENV, **STABLE_ENV_CHANGES}
    assert {k for k in stable.resources if stable.resources[k] != candidate.resources[k]} == {
        "memory"
    }
    assert stable.resources["memory"] == "2Gi"


def test_each_live_revision_logs_its_own_startup_lines():
    d = deployment("candidate_metric_lost")
    log = LogStore(d)
    live: dict[str, LiveRevision] = start_revisions(d, log, 0)
    for revision in live.values():
        log_startup(revision, log)
    lines = [
        (e["resource"]["labels"]["revision_name"], e["textPayload"])
        for e in log.entries
        if "registered" in e["textPayload"]
    ]
    assert lines == [
        (OLD, "[Metrics] 13 metrics registered"),
        (NEW, "[Metrics] 12 metrics registered"),
    ]
