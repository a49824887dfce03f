"""The rollout profiles, through real sandboxes: the users' requests at the service URL, routed
by the traffic's split as the real google-cloud-run client sets it, each in the request log
under the revision that answered it with its status and latency; each profile's candidate as
its summary says; the users gone when the sandbox stops, never raising; and the gate's own run
against each profile at 0% passing every check."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from google.api_core.client_options import ClientOptions
from google.api_core.future.polling import DEFAULT_POLLING
from google.auth.credentials import AnonymousCredentials
from google.cloud import run_v2

from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.config.envfile import load_env_file
from cloudrun_acceptance.sandbox.faults.profiles import behaviour_for
from cloudrun_acceptance.sandbox.launcher import Sandbox, start_sandbox
from cloudrun_acceptance.sandbox.platform.deployment import PREVIOUS_REVISION, REVISION
from cloudrun_acceptance.sandbox.platform.users import USER_AGENT
from tests.integration.gatekit import IDENTITY, NO_5XX, run_gate
from tests.paths import REPO, SHIPPED_CONTRACT

REVISION_TYPE = run_v2.TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION
# As the gate polls an update's operation (the library's default waits 1 s before its first look).
POLLING = DEFAULT_POLLING.with_delay(initial=0.1, maximum=0.5, multiplier=1.5).with_timeout(10)
STABLE, CANDIDATE = PREVIOUS_REVISION, REVISION


def set_shares(running: Sandbox, stable: int, candidate: int) -> int:
    """Give the two revisions these shares of the service URL's traffic (the candidate keeps its
    tag) with the real google-cloud-run client, through the sandbox's Admin API, as the gate
    does; the length of the request log just before, where the new split's requests begin."""
    options = ClientOptions(api_endpoint=running.admin_endpoint)
    credentials = AnonymousCredentials()  # type: ignore[no-untyped-call]
    services = run_v2.ServicesClient(
        transport="rest", client_options=options, credentials=credentials
    )
    service = services.get_service(name=running.deployment.service_name)
    del service.traffic[:]
    service.traffic.extend(
        [
            run_v2.TrafficTarget(type_=REVISION_TYPE, revision=STABLE, percent=stable),
            run_v2.TrafficTarget(type_=REVISION_TYPE, revision=CANDIDATE, percent=candidate),
            run_v2.TrafficTarget(type_=REVISION_TYPE, revision=CANDIDATE, tag="candidate"),
        ]
    )
    mark = len(running.log.entries)
    services.update_service(service=service).result(timeout=10, polling=POLLING)
    return mark


def users_requests(running: Sandbox, since: int) -> list[dict[str, Any]]:
    """The httpRequest of each users' request logged from entry ``since`` on, with the revision
    that answered it (``revision``), its path (``path``) and its entry's time (``timestamp``)."""
    found = []
    for entry in running.log.snapshot()[since:]:
        request = entry.get("httpRequest")
        if request and request["userAgent"] == USER_AGENT:
            path = request["requestUrl"].split("/", 3)[-1]
            revision = entry["resource"]["labels"]["revision_name"]
            found.append(
                {
                    **request,
                    "revision": revision,
                    "path": f"/{path}",
                    "timestamp": entry["timestamp"],
                }
            )
    return found


def wait_for(
    running: Sandbox, since: int, enough: Callable[[list[dict[str, Any]]], bool], seconds: float
) -> list[dict[str, Any]]:
    """The users' requests from ``since`` on, once ``enough`` of them are logged (or after
    ``seconds``, as many as there are)."""
    deadline = time.monotonic() + seconds
    while True:
        found = users_requests(running, since)
        if enough(found) or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def of(requests: list[dict[str, Any]], revision: str, path: str = "") -> list[dict[str, Any]]:
    return [r for r in requests if r["revision"] == revision and r["path"].startswith(path)]


def latency(request: dict[str, Any]) -> float:
    return float(request["latency"].removesuffix("s"))


def test_the_users_requests_follow_the_split_and_are_logged_with_status_and_latency(sandbox_with):
    running = sandbox_with("rollout_candidate")
    # At 0% the candidate has its tag URL only: every users' request goes to the stable one.
    assert {r["revision"] for r in wait_for(running, 0, lambda f: len(f) >= 50, 3)} == {STABLE}
    mark = set_shares(running, 75, 25)
    split = wait_for(running, mark, lambda found: len(found) >= 400, 3)
    assert len(split) >= 300, running.users
    share = len(of(split, CANDIDATE)) / len(split)
    assert 0.17 <= share <= 0.33, share
    assert {r["revision"] for r in split} == {STABLE, CANDIDATE}
    assert all(r["status"] == 200 and latency(r) > 0 for r in split)
    assert {r["path"] for r in split} == {"/api/concepts", "/api/health"}
    concepts = len(of(split, STABLE, "/api/concepts")) + len(of(split, CANDIDATE, "/api/concepts"))
    assert 0.6 <= concepts / len(split) <= 0.8
    back = set_shares(running, 100, 0)
    # Requests on the way as the split changed are logged just after: skip the first few.
    after = wait_for(running, back, lambda found: len(found) >= 220, 3)[20:]
    assert len(after) >= 150
    assert of(after, CANDIDATE) == []
    assert running.users is not None and running.users.failed == 0


def test_step_errors_the_candidate_errs_from_a_quarter_of_the_traffic_on(sandbox_with):
    running = sandbox_with("step_errors")
    below = set_shares(running, 90, 10)
    small = wait_for(running, below, lambda found: len(of(found, CANDIDATE)) >= 25, 4)
    assert len(of(small, CANDIDATE)) >= 15
    assert {r["status"] for r in small} == {200}
    above = set_shares(running, 50, 50)
    half = wait_for(running, above, lambda f: len(of(f, CANDIDATE, "/api/concepts")) >= 165, 5)
    concepts = of(half, CANDIDATE, "/api/concepts")
    assert len(concepts) >= 132
    failed = [r for r in concepts if r["status"] == 500]
    assert abs(len(failed) - len(concepts) / 33) <= 1.5, (len(failed), len(concepts))
    assert {r["status"] for r in of(half, CANDIDATE, "/api/health")} == {200}
    assert {r["status"] for r in of(half, STABLE)} == {200}


def test_step_slow_the_candidates_reads_take_half_as_long_again(sandbox_with):
    running = sandbox_with("step_slow")
    mark = set_shares(running, 50, 50)

    def enough(found: list[dict[str, Any]]) -> bool:
        return all(len(of(found, rev, "/api/concepts")) >= 100 for rev in (STABLE, CANDIDATE))

    found = wait_for(running, mark, enough, 4)
    medians = {
        revision: statistics.median(latency(r) for r in of(found, revision, "/api/concepts"))
        for revision in (STABLE, CANDIDATE)
    }
    assert 1.25 <= medians[CANDIDATE] / medians[STABLE] <= 1.65, medians
    assert 0.010 <= medians[STABLE] < 0.020, medians
    health = {
        rev: statistics.median(map(latency, of(found, rev, "/api/health"))) for rev in medians
    }
    assert 0.8 <= health[CANDIDATE] / health[STABLE] <= 1.25, health


def test_low_traffic_is_a_few_requests_a_second(sandbox_with):
    running = sandbox_with("low_traffic")
    started = time.monotonic()
    time.sleep(2.5)
    found = users_requests(running, 0)
    rate = len(found) / (time.monotonic() - started)
    assert 1.0 <= rate <= 3.5, rate
    assert running.users is not None and running.users.sent <= 8


def received(request: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(request["timestamp"])


def test_step_cold_start_holds_the_candidates_users_after_a_rise_logged_as_received():
    cold = replace(behaviour_for(["step_cold_start"]), step_cold_start_seconds=1.0)
    running = start_sandbox(
        load_contract(SHIPPED_CONTRACT),
        load_env_file(REPO / "env.yaml"),
        behaviour=cold,
        analysis_seconds=0.05,
    )
    try:
        wait_for(running, 0, lambda found: len(found) >= 20, 3)
        changed = datetime.now(UTC)  # the rise is no sooner: its release, no sooner than +1 s
        mark = set_shares(running, 50, 50)
        after = changed + timedelta(seconds=1.5)

        def enough(found: list[dict[str, Any]]) -> bool:
            return len([r for r in of(found, CANDIDATE) if received(r) > after]) >= 20

        candidate = of(wait_for(running, mark, enough, 6), CANDIDATE)
    finally:
        running.stop()
    assert running.users is not None and running.users.failed == 0
    # Every answer of the candidate came once the cold start was over, each logged at its
    # receipt with its whole latency: received + latency is when it was answered.
    for request in candidate:
        answered = received(request) + timedelta(seconds=latency(request))
        assert answered >= changed + timedelta(seconds=1.0 - 0.005), request
    held = [r for r in candidate if latency(r) >= 0.3]
    assert len(held) >= 10, len(candidate)
    # Received over the cold start's second, not all at its end as a completion time would be.
    times = sorted(map(received, held))
    assert times[-1] - times[0] >= timedelta(seconds=0.1), times


@contextmanager
def thread_exceptions() -> Iterator[list[threading.ExceptHookArgs]]:
    """Every exception that escapes a thread meanwhile."""
    raised: list[threading.ExceptHookArgs] = []
    before = threading.excepthook
    threading.excepthook = raised.append
    try:
        yield raised
    finally:
        threading.excepthook = before


def test_the_users_stop_with_the_sandbox_and_never_raise_when_refused():
    # The service listens only after 1.5 s: until then, every users' request is refused.
    behaviour = replace(behaviour_for(["rollout_candidate"]), cold_start_seconds=1.5)
    with thread_exceptions() as raised:
        running = start_sandbox(
            load_contract(SHIPPED_CONTRACT),
            load_env_file(REPO / "env.yaml"),
            behaviour=behaviour,
            analysis_seconds=0.05,
        )
        users = running.users
        assert users is not None
        try:
            time.sleep(1.0)
            assert users.failed >= 10 and users.statuses == {}
            time.sleep(1.0)  # listening since 1.5 s: answered from then on
            refused = users.failed
            time.sleep(0.5)
            assert users.statuses[200] >= 20
            assert users.failed == refused
        finally:
            running.stop()
        assert not users.running
        assert "sandbox-users" not in {thread.name for thread in threading.enumerate()}
        sent = users.sent
        time.sleep(0.2)
        assert users.sent == sent  # nothing sent after the stop
    assert raised == []


class UsersDuringTheRun:
    """A plugin of the gate's run: whether the sandbox's users were sending during each check."""

    def __init__(self) -> None:
        self.alive: list[bool] = []

    def pytest_runtest_call(self) -> None:
        self.alive.append(any(t.name == "sandbox-users" for t in threading.enumerate()))


@pytest.mark.parametrize("fault", ["rollout_candidate", "step_errors", "step_slow"])
def test_the_gate_passes_every_check_of_a_candidate_at_zero_under_user_traffic(gate_dir, fault):
    seen = UsersDuringTheRun()
    run = run_gate(
        gate_dir, "--sandbox", "--sandbox-fault", fault, "--tag", "candidate", plugins=[seen]
    )
    run.expect()
    assert {IDENTITY, NO_5XX} <= run.passed
    assert seen.alive and all(seen.alive)
