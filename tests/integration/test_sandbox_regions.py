"""One service in two regions: each region its own sandbox (service URL, Admin API, Logging API),
read with the real google-cloud-run client in its own region and not found in the other's; with
region_fails, us-central1's cache hit is slow and europe-west1's is not; one stop per region."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from google.api_core.client_options import ClientOptions
from google.api_core.exceptions import NotFound
from google.auth.credentials import AnonymousCredentials
from google.cloud import run_v2

from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.config.envfile import load_env_file
from cloudrun_acceptance.sandbox.launch import start_regions
from cloudrun_acceptance.sandbox.launcher import Sandbox
from cloudrun_acceptance.sandbox.platform.deployment import SESSION_ID
from tests.integration.gcloudkit import gcloud, needs_gcloud
from tests.paths import REPO, SHIPPED_CONTRACT

ANALYZE = "/api/memory/analyze"
EUROPE, US = "europe-west1", "us-central1"


@contextmanager
def regions(*faults: str) -> Iterator[dict[str, Sandbox]]:
    """The sandboxes of the shipped contract and env.yaml with ``faults``, by region."""
    started = start_regions(
        load_contract(SHIPPED_CONTRACT),
        load_env_file(REPO / "env.yaml"),
        source=REPO,
        faults=faults,
        analysis_seconds=0.05,
    )
    try:
        yield {sandbox.deployment.region: sandbox for sandbox in started}
    finally:
        for sandbox in started:
            sandbox.stop()


def services_client(running: Sandbox) -> run_v2.ServicesClient:
    """google-cloud-run's REST client, pointed at one region's Admin API as the gate points it."""
    return run_v2.ServicesClient(
        transport="rest",
        client_options=ClientOptions(api_endpoint=running.admin_endpoint),
        credentials=AnonymousCredentials(),  # type: ignore[no-untyped-call]
    )


def test_two_regions_are_two_sandboxes_each_its_own_deployment_and_endpoints():
    with regions("two_regions") as by_region:
        assert list(by_region) == [EUROPE, US]
        europe, us = by_region[EUROPE], by_region[US]
        for field in ("service_url", "admin_endpoint", "logging_endpoint"):
            assert getattr(europe, field) != getattr(us, field), field
        assert europe.deployment.behaviour == us.deployment.behaviour
        assert us.deployment.service_name == (
            "projects/sandbox-project/locations/us-central1/services/emergence-app"
        )
        for region, running in by_region.items():
            answer = httpx.get(f"{running.service_url}/api/health", timeout=10)
            assert answer.status_code == 200, region
            locations = {e["resource"]["labels"]["location"] for e in running.log.snapshot()}
            assert locations == {region}


def test_the_real_client_finds_each_service_in_its_region_and_not_in_the_other():
    with regions("two_regions") as by_region:
        for region, running in by_region.items():
            client = services_client(running)
            service = client.get_service(name=running.deployment.service_name)
            assert service.name == running.deployment.service_name
            assert service.uri == running.service_url
            other = US if region == EUROPE else EUROPE
            elsewhere = f"projects/sandbox-project/locations/{other}"
            with pytest.raises(NotFound) as caught:
                client.get_service(name=f"{elsewhere}/services/emergence-app")
            assert f"in region '{other}'" in caught.value.message
            assert list(client.list_services(parent=elsewhere)) == []


def cache_hit_seconds(running: Sandbox) -> float:
    """How long the service takes to answer an analysis it has already made (a cache hit)."""
    with httpx.Client(base_url=running.service_url, timeout=10) as client:
        first = client.post(ANALYZE, json={"session_id": SESSION_ID})
        assert first.json()["cached"] is False
        started = time.perf_counter()
        again = client.post(ANALYZE, json={"session_id": SESSION_ID})
        elapsed = time.perf_counter() - started
        assert again.json()["cached"] is True
    return elapsed


def test_region_fails_slows_the_cache_hit_in_us_central1_alone():
    with regions("region_fails") as by_region:
        assert by_region[US].deployment.behaviour.cache_delay_seconds == 0.5
        assert by_region[EUROPE].deployment.behaviour.cache_delay_seconds == 0.0
        # The slow region's hit waits its delay; how fast the other's is is not timed here.
        assert cache_hit_seconds(by_region[US]) >= 0.5


def test_stopping_stops_every_region():
    with regions("two_regions") as by_region:
        urls = [
            url
            for running in by_region.values()
            for url in (running.service_url, running.admin_endpoint, running.logging_endpoint)
        ]
        assert all(url for url in urls)
    for url in urls:
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{url}/", timeout=2)


def test_without_a_region_profile_it_is_the_one_sandbox_of_today():
    with regions("private") as by_region:
        assert list(by_region) == [EUROPE]
        assert by_region[EUROPE].deployment.behaviour.private


@needs_gcloud
def test_gcloud_describes_the_service_in_its_region_and_finds_none_in_the_other():
    with regions("two_regions") as by_region:
        us = by_region[US]
        where = ("--project", "sandbox-project")
        found = gcloud(us, "run", "services", "describe", "emergence-app", "--region", US, *where)
        assert found.returncode == 0, found.stderr
        assert "✔ Service emergence-app in region us-central1" in found.stdout.splitlines()
        missing = gcloud(
            us, "run", "services", "describe", "emergence-app", "--region", EUROPE, *where
        )
        assert missing.returncode == 1
        assert "Cannot find service [emergence-app]" in missing.stderr


def test_python_m_sandbox_prints_each_regions_lines_under_its_name():
    started = subprocess.Popen(
        [sys.executable, "-m", "cloudrun_acceptance.sandbox", "--fault=region_fails"],
        cwd=REPO,
        env={k: v for k, v in os.environ.items() if not k.startswith("CLOUDSDK_")},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert started.stdout is not None
        lines = [started.stdout.readline() for _ in range(21)]
    finally:
        started.send_signal(signal.SIGTERM)
        assert started.wait(timeout=20) == 0
    europe, blank, us = lines[:10], lines[10], lines[11:]
    assert blank == "\n"
    for region, block, here in ((EUROPE, europe, "none"), (US, us, "cache_slow")):
        assert block[0] == f"region       {region}\n"
        assert block[1].startswith("service      http://127.0.0.1:")
        assert block[2].endswith(
            f"(projects/sandbox-project/locations/{region}/services/emergence-app)\n"
        )
        assert block[4].startswith("Monitoring   http://127.0.0.1:")
        assert block[5] == f"faults       region_fails (in this region: {here})\n"
        assert f" --region={region} " in block[6]
        assert block[8].startswith("  export CLOUDSDK_CONFIG=")
        assert block[9] == "  export CLOUDSDK_CORE_DISABLE_PROMPTS=1\n"
    assert europe[1] != us[1] and europe[2] != us[2]
