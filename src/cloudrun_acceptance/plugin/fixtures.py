"""The gate's fixtures. Thin: each one wires a piece of the data flow, the logic lives elsewhere.

settings -> target -> ``service`` (client) -> ``readiness`` -> ``metrics_scrape`` / ``exposition``
-> ``analysis_run`` / ``cache_run`` -> the checks in tests/acceptance, through ``gate.expect``.

Session fixtures that cannot provide their value fail with "not checked: ..." and a pointer to
the check that reports the cause, so dependent checks show as errors, never as silent passes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

import pytest

from ..config.settings import TARGET_HELP
from ..model.contract import AnalysisRules, CacheRules, Contract, MetricsRules
from ..model.exchange import Readiness
from ..model.exposition import Snapshot
from ..model.observations import CounterRun, Scrape
from ..model.target import Target
from ..probe.client import ServiceClient
from ..probe.counters import observe_counters
from ..probe.readiness import wait_until_ready
from ..probe.scrape import scrape
from .gate import Gate
from .state import GateState, state_of

_Section = TypeVar("_Section")


@pytest.fixture(scope="session")
def gate_state(request: pytest.FixtureRequest) -> GateState:
    """The run's settings, contract and target."""
    return state_of(request.config)


@pytest.fixture(scope="session")
def contract(gate_state: GateState) -> Contract:
    """The contract of the service under test."""
    return gate_state.contract


@pytest.fixture(scope="session")
def target(gate_state: GateState) -> Target:
    """Where the gate points: URL, Cloud Run service and revision."""
    if gate_state.target is None:
        pytest.fail(f"no service to check: {TARGET_HELP}", pytrace=False)
    return gate_state.target


@pytest.fixture(scope="session")
def service(target: Target, contract: Contract, gate_state: GateState) -> Iterator[ServiceClient]:
    """The HTTP client of the service under test."""
    if target.url is None:
        pytest.fail(
            f"not checked: the service URL is unknown; {gate_state.lookup_problem()}", pytrace=False
        )
    client = ServiceClient(
        target.url,
        user_agent=target.user_agent,
        timeout=contract.http_timeout,
        max_body_bytes=contract.max_body_bytes,
        authorization=gate_state.authorization,
    )
    yield client
    client.close()


@pytest.fixture(scope="session")
def readiness(service: ServiceClient, contract: Contract, gate_state: GateState) -> Readiness:
    """The wait for the first answer (cold start), done once per run."""
    return wait_until_ready(service, contract.health_path, gate_state.settings.ready_timeout)


@pytest.fixture(scope="session")
def ready_service(service: ServiceClient, readiness: Readiness) -> ServiceClient:
    """The client, once the service answers; "not checked" when it never did."""
    if not readiness.ready:
        pytest.fail(
            f"not checked: the service is not answering ({readiness.summary()}); see "
            "test_health_answers",
            pytrace=False,
        )
    if readiness.last.refusal is not None:
        pytest.fail(
            f"not checked: Cloud Run's IAM front door refused the gate "
            f"({readiness.last.status}, {readiness.last.refusal}); see "
            "test_health_answers",
            pytrace=False,
        )
    return service


def _section(value: _Section | None, name: str) -> _Section:
    if value is None:
        pytest.skip(f"the contract has no {name} section, so there is nothing to check here")
    return value


@pytest.fixture(scope="session")
def metrics_rules(contract: Contract) -> MetricsRules:
    """The contract's metrics section; the metrics checks are skipped without one."""
    return _section(contract.metrics, "metrics")


@pytest.fixture(scope="session")
def analysis_rules(contract: Contract) -> AnalysisRules:
    """The contract's analysis section; the analysis checks are skipped without one."""
    return _section(contract.analysis, "analysis")


@pytest.fixture(scope="session")
def cache_rules(contract: Contract) -> CacheRules:
    """The contract's cache section; the cache check is skipped without one."""
    return _section(contract.cache, "cache")


@pytest.fixture(scope="session")
def metrics_scrape(metrics_rules: MetricsRules, ready_service: ServiceClient) -> Scrape:
    """The first scrape of the metrics path: the "initial values" of the report."""
    return scrape(ready_service, metrics_rules)


@pytest.fixture(scope="session")
def exposition(metrics_scrape: Scrape) -> Snapshot:
    """The first scrape's parsed exposition; "not checked" when there is none."""
    if metrics_scrape.snapshot is None or metrics_scrape.problem is not None:
        pytest.fail(
            f"not checked: {metrics_scrape.exchange.url} gave no usable exposition "
            f"({metrics_scrape.detail}); see test_metrics_enabled",
            pytrace=False,
        )
    return metrics_scrape.snapshot


@pytest.fixture(scope="session")
def test_session(target: Target) -> str:
    """The session the mutating checks use; without one they are skipped, never run.

    Mutating fixtures list it first, so they skip before waiting for anything else.
    """
    if target.test_session is None:
        pytest.skip(
            "mutating check: give a test session to run it (--test-session ID or TEST_SESSION); "
            "it POSTs to the service"
        )
    return target.test_session


@pytest.fixture(scope="session")
def analysis_run(
    test_session: str,
    analysis_rules: AnalysisRules,
    metrics_rules: MetricsRules,
    ready_service: ServiceClient,
    exposition: Snapshot,
) -> CounterRun:
    """One forced analysis, with the contract's counters read around it on one instance."""
    rules = analysis_rules
    call = rules.request.filled(test_session)
    return observe_counters(
        ready_service,
        metrics=metrics_rules,
        rules=rules.counters,
        act=lambda: [ready_service.send(call, timeout=rules.timeout_seconds)],
        deadline=rules.counter_deadline_seconds,
    )


@pytest.fixture(scope="session")
def cache_run(  # noqa: PLR0917 - pytest injects fixtures by name
    test_session: str,
    cache_rules: CacheRules,
    analysis_rules: AnalysisRules,
    metrics_rules: MetricsRules,
    ready_service: ServiceClient,
    analysis_run: CounterRun,
) -> CounterRun:
    """The repeated call, sampled on the warm connection, with the cache counters around it."""
    if not analysis_run.actions or not analysis_run.actions[0].ok:
        pytest.fail(
            "not checked: the forced analysis did not succeed, so nothing is cached; see "
            "test_forced_analysis_moves_the_counters",
            pytrace=False,
        )
    call = cache_rules.request.filled(test_session)
    timeout = analysis_rules.timeout_seconds
    return observe_counters(
        ready_service,
        metrics=metrics_rules,
        rules=cache_rules.counters,
        act=lambda: [ready_service.send(call, timeout=timeout) for _ in range(cache_rules.samples)],
        deadline=analysis_rules.counter_deadline_seconds,
    )


@pytest.fixture
def gate(request: pytest.FixtureRequest, gate_state: GateState) -> Gate:
    """``gate.expect(verdict)``: pass, fail with the evidence, or handle an inconclusive one."""
    return Gate(request.node, gate_state.settings.inconclusive)
