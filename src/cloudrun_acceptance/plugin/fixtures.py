"""The gate's fixtures. Thin: each one wires a piece of the data flow, the logic lives elsewhere.

settings -> target -> ``service`` (client) -> ``readiness`` -> ``metrics_scrape`` / ``exposition``
-> ``analysis_run`` / ``cache_run`` -> the built-in checks (cloudrun_acceptance/gate/) and a
team's own, through ``gate.expect``.

Session fixtures that cannot provide their value fail with "not checked: ..." and a pointer to
the check that reports the cause, so dependent checks show as errors, never as silent passes.

PYTEST_DONT_REWRITE: a module of the plugin's ``pytest_plugins``, which plugin/hooks.py may
import before pytest registers it; it holds no test's assertion, and the marker keeps
pytest 8 from warning that it could not rewrite one.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import TypeVar

import pytest

from ..checks.analysis import action
from ..config.settings import TARGET_HELP, Settings
from ..model.contract import AnalysisRules, CacheRules, Contract, MetricsRules
from ..model.exchange import Readiness
from ..model.exposition import Snapshot
from ..model.observations import CounterRun, Scrape
from ..model.target import Target
from ..probe.client import ServiceClient
from .gate import Gate
from .gc_freeze import settle_while_waiting
from .state import TargetSession, state_of

_Section = TypeVar("_Section")


@pytest.fixture(scope="session")
def _gate_state(request: pytest.FixtureRequest) -> TargetSession:
    """The run's settings, contract and target (in a run of several targets, the check's
    target's own state: plugin/targets.py parametrizes it)."""
    state: TargetSession | None = getattr(request, "param", None)
    return state if state is not None else state_of(request.config)


@pytest.fixture(scope="session")
def gate_state(_gate_state: TargetSession) -> TargetSession:
    """Deprecated (0.2.0; it goes in 0.3.0): the run's internal state. Ask for
    ``gate_settings`` (what ``gate_state.settings`` was), ``contract`` or ``target``."""
    warnings.warn(
        "the gate_state fixture is the gate's internal state and goes in cloudrun-acceptance "
        "0.3.0: ask for gate_settings (what gate_state.settings gave), contract or target",
        DeprecationWarning,
        stacklevel=2,
    )
    return _gate_state


@pytest.fixture(scope="session")
def gate_settings(_gate_state: TargetSession) -> Settings:
    """The run's resolved settings (a ``Settings``): ``.ready_timeout`` and ``.logs_timeout``
    (s), ``.env_file``, ``.canary_phase``, ``.tag``, and every other option, as given on the
    command line, in the environment, pytest.ini or the contract's defaults."""
    return _gate_state.settings


@pytest.fixture(scope="session")
def contract(_gate_state: TargetSession) -> Contract:
    """The contract of the service under test (contract.yaml, as a ``Contract``): ``.health_path``,
    ``.metrics``, ``.analysis``, ``.cache`` (None when the section is left out), ``.revision``,
    ``.logs``."""
    return _gate_state.contract


@pytest.fixture(scope="session")
def target(_gate_state: TargetSession) -> Target:
    """Where the gate points (a ``Target``): ``.url``, ``.project``, ``.region``, ``.service``,
    ``.revision``, ``.tag``, ``.test_session``, each None when not known. Fails "no service to
    check" when no target was given."""
    if _gate_state.target is None:
        pytest.fail(f"no service to check: {TARGET_HELP}", pytrace=False)
    return _gate_state.target


@pytest.fixture(scope="session")
def service(target: Target, _gate_state: TargetSession) -> Iterator[ServiceClient]:
    """The HTTP client of the service under test (a ``ServiceClient``), without waiting for a
    cold start: ``service.get(path)``, ``.post(path, json=...)``, ``.request(method, path)``
    answer an ``Exchange`` (``.status_code``, ``.headers``, ``.json()``), never an exception.
    "Not checked" when the URL is unknown; most checks want ``ready_service``."""
    if _gate_state.url_skip:
        pytest.skip(_gate_state.url_skip)
    if target.url is None:
        pytest.fail(
            f"not checked: the service URL is unknown; {_gate_state.lookup_problem()}",
            pytrace=False,
        )
    stage = _gate_state.service_stage()
    yield stage.client
    stage.join()
    stage.client.close()


@pytest.fixture(scope="session")
def readiness(service: ServiceClient, _gate_state: TargetSession) -> Readiness:
    """The wait for the first answer of the health path (cold start, up to --ready-timeout),
    done once per run: ``.ready``, ``.waited`` (s), ``.attempts``, ``.last`` (the last
    ``Exchange``), ``.permanent`` (why the wait ended at once, when it did: an untrusted TLS
    certificate, the sandbox's own service gone), ``.summary()``. It never fails;
    ``ready_service`` does."""
    return _gate_state.service_stage().readiness()


def _require_ready(readiness: Readiness) -> None:
    """Fail "not checked" unless the service answered its health path, and not with a refusal
    of Cloud Run's IAM front door."""
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


@pytest.fixture(scope="session")
def ready_service(
    service: ServiceClient, readiness: Readiness, _gate_state: TargetSession
) -> ServiceClient:
    """``service``, once the service has answered its health path: the client a team's own
    checks use (``ready_service.get(path).json()``, paths relative to the service URL). "Not
    checked" when the service never answered within --ready-timeout or Cloud Run's IAM front
    door refused the gate (see test_health_answers). When the contract's action is sent early,
    this waits until its calls are done, so that no check's request comes between them."""
    _require_ready(readiness)
    _gate_state.service_stage().join()
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
def metrics_scrape(
    metrics_rules: MetricsRules, readiness: Readiness, _gate_state: TargetSession
) -> Scrape:
    """The first scrape of the contract's metrics path, before the gate acts (the report's
    "initial values"): ``.exchange`` (the ``Exchange``), ``.snapshot`` (None when it did not
    parse), ``.problem``, ``.detail``. Skipped when the contract has no metrics section; "not
    checked" when the service never answered."""
    _require_ready(readiness)
    return _gate_state.service_stage().scrape()


@pytest.fixture(scope="session")
def exposition(metrics_scrape: Scrape) -> Snapshot:
    """The first scrape's parsed exposition (a ``Snapshot``): ``.value(name, labels)``,
    ``.family(name)``, ``.names()``. ``.value`` sums the matching samples: a counter's total, a
    histogram's or summary's count, or the sample the name spells (``x_count``, ``x_sum``,
    ``x_bucket``); None when the family is absent. Skipped when the contract has no metrics
    section; "not checked" when the scrape gave no usable exposition (see test_metrics_enabled)."""
    if metrics_scrape.snapshot is None or not metrics_scrape.usable:
        pytest.fail(
            f"not checked: {metrics_scrape.exchange.url} gave no usable exposition "
            f"({metrics_scrape.detail}); see test_metrics_enabled",
            pytrace=False,
        )
    return metrics_scrape.snapshot


@pytest.fixture(scope="session")
def test_session(target: Target) -> str:
    """The test session (--test-session or TEST_SESSION), for checks that change the service's
    data: a check that takes it is skipped without one, so it never POSTs unasked. List it
    first among a check's arguments, so the check skips before waiting for anything else."""
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
    readiness: Readiness,
    exposition: Snapshot,
    _gate_state: TargetSession,
) -> CounterRun:
    """The contract's action (``analysis:``), sent once, with its counters read around it on
    one instance."""
    _require_ready(readiness)
    _gate_state.start_logs_early()  # the analysis wait is spent on a socket
    stage = _gate_state.service_stage()
    if stage.in_flight("analysis"):
        settle_while_waiting()  # the garbage collected now, not after the answer
    return stage.analysis()


@pytest.fixture(scope="session")
def cache_run(
    test_session: str,
    cache_rules: CacheRules,
    analysis_rules: AnalysisRules,
    analysis_run: CounterRun,
    _gate_state: TargetSession,
) -> CounterRun:
    """The repeated call, sampled on the warm connection, with the cache counters around it."""
    if not analysis_run.acted:
        pytest.fail(
            f"not checked: the analysis call ({action(analysis_rules.request)}) did not succeed, "
            "so nothing is cached; see test_forced_analysis_moves_the_counters",
            pytrace=False,
        )
    return _gate_state.service_stage().cache()


@pytest.fixture
def gate(request: pytest.FixtureRequest, _gate_state: TargetSession) -> Gate:
    """``gate.expect(verdict)`` turns a verdict into the check's outcome and the report's row:
    ``passed(summary, figures=...)`` passes, ``failed(summary, evidence=..., advice=...)``
    fails with that message, ``inconclusive(...)`` fails (skips with --inconclusive=skip); the
    constructors come from ``cloudrun_acceptance``."""
    return Gate(request.node, _gate_state.settings.inconclusive)
