"""The fixtures of the revision and logs checks: the Admin API's description, the log reader,
and the log queries (with Cloud Monitoring's counts when the 5xx are more than the logs
listing takes), each read once. "Not checked" when the Admin API failed.

PYTEST_DONT_REWRITE: a module of the plugin's ``pytest_plugins``, which plugin/hooks.py may
import before pytest registers it; it holds no test's assertion, and the marker keeps
pytest 8 from warning that it could not rewrite one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ..model.errors import AdminApiError, LoggingApiError
from ..model.service import ServiceFacts
from ..model.target import Target
from ..probe.client import ServiceClient
from .state import TargetSession

# The Logging client's modules load with the logs stage: a run of a service URL reads no logs.
if TYPE_CHECKING:
    from ..engine.log_stage import LogsStage
    from ..google.logs import LogReader
    from ..model.logs import Ingestion, Listing, ServerErrors, StartupScan

REVISION_SKIP = (
    "reads the revision from the Cloud Run Admin API: name the service to run it (--project, "
    "--region and --service, or PROJECT_ID, REGION, SERVICE_NAME)"
)


@pytest.fixture(scope="session")
def admin_lookup(target: Target, _gate_state: TargetSession) -> ServiceFacts | AdminApiError:
    """The service and revision as the Cloud Run Admin API describes them (a ``ServiceFacts``),
    or the ``AdminApiError`` that says why it could not; skipped without --project, --region and
    --service. Most checks want ``deployment``, which fails "not checked" on the error."""
    if target.ref is None:
        pytest.skip(REVISION_SKIP)
    return _gate_state.lookup()


@pytest.fixture(scope="session")
def deployment(admin_lookup: ServiceFacts | AdminApiError) -> ServiceFacts:
    """The deployed service (a ``ServiceFacts``: ``.traffic``, ``.uri``) and the revision under
    check (``.revision``, a ``RevisionFacts``: ``.env``, ``.secrets``, ``.resources``,
    ``.image``). Skipped without --project, --region and --service; "not checked" when the
    Admin API failed (see test_admin_api_describes_the_service)."""
    if isinstance(admin_lookup, AdminApiError):
        pytest.fail(
            f"not checked: {admin_lookup.summary}; see test_admin_api_describes_the_service",
            pytrace=False,
        )
    return admin_lookup


@pytest.fixture(scope="session")
def expected_env(_gate_state: TargetSession) -> dict[str, str]:
    """env.yaml as a dict of strings: the environment the revision must carry (compare it with
    ``deployment.revision.env``). "Not checked" when a pre-flight run found it unreadable (its
    problem is the pre-flight env check's finding)."""
    if _gate_state.env_problem is not None:
        pytest.fail(f"not checked: {_gate_state.env_problem}", pytrace=False)
    return _gate_state.expected_env


@pytest.fixture(scope="session")
def _logs_stage(deployment: ServiceFacts, _gate_state: TargetSession) -> LogsStage:
    """The logs stage: started as the forced analysis is sent (engine/log_stage.py), or now."""
    return _gate_state.logs(deployment)


@pytest.fixture(scope="session")
def log_reader(_logs_stage: LogsStage) -> LogReader:
    """Reads the checked revision's Cloud Logging entries since it was created (a
    ``cloudrun_acceptance.LogReader``): ``log_reader.list('severity>=WARNING').records``, oldest
    first, each with ``.text``, ``.severity``, ``.status``; it does not wait for ingestion, and
    raises ``LoggingApiError`` when the API refuses. Skipped without --project, --region and
    --service; "not checked" when the Admin API failed."""
    return _logs_stage.joined_reader()


@pytest.fixture(scope="session")
def logs_deadline(_logs_stage: LogsStage) -> float:
    """One --logs-timeout for the whole logs stage (monotonic clock)."""
    return _logs_stage.deadline


@pytest.fixture(scope="session")
def startup_scan(_logs_stage: LogsStage) -> StartupScan | LoggingApiError:
    """The contract's startup lines, polled for until found or the deadline (ingestion lags)."""
    return _logs_stage.startup_scan()


@pytest.fixture(scope="session")
def own_requests(
    log_reader: LogReader, service: ServiceClient, logs_deadline: float
) -> Ingestion | LoggingApiError:
    """The gate's own answered requests, once the logs show them, with the revision of each.

    Refused connections and cut exchanges are not waited for: a refused one never reached the
    service, and a cut one is logged only when (if) the service finishes it.
    """
    from ..google.logscan import await_own_requests

    try:
        answered = sum(service.answered.values())
        return await_own_requests(log_reader, service.user_agent, answered, logs_deadline)
    except LoggingApiError as err:
        return err


@pytest.fixture(scope="session")
def server_errors(
    log_reader: LogReader, own_requests: Ingestion | LoggingApiError, _logs_stage: LogsStage
) -> ServerErrors | LoggingApiError:
    """5xx requests of the revision, once the gate's own answered requests are in the logs (a
    ``ServerErrors``: ``.listing``, ``.ingestion``); when there were more than
    ``logs.max_entries``, ``.counted`` holds Cloud Monitoring's counts of them and of every
    request since the revision started, or the ``MonitoringApiError`` that kept them unread."""
    if isinstance(own_requests, LoggingApiError):
        return own_requests
    try:
        listing = log_reader.list("httpRequest.status>=500")
    except LoggingApiError as err:
        return err
    return _logs_stage.server_errors(listing, own_requests)


@pytest.fixture(scope="session")
def error_entries(log_reader: LogReader) -> Listing | LoggingApiError:
    """The revision's entries at ERROR or above."""
    try:
        return log_reader.list("severity>=ERROR")
    except LoggingApiError as err:
        return err
