"""The fixtures of the candidate-against-stable comparison (the contract's ``compare:``).

Only in the candidate flow (--tag) and only with the section: without it nothing extra is sent,
and the comparison's modules are not even loaded (they are imported by the fixtures that use
them). The paired load uses clients of its own, with a user agent of their own, so the checks of
the gate's own requests (which revision answered them) never count the load's.

PYTEST_DONT_REWRITE: a module of the plugin's ``pytest_plugins``, which plugin/hooks.py may
import before pytest registers it; it holds no test's assertion, and the marker keeps
pytest 8 from warning that it could not rewrite one.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pytest

from ..model.contract import CompareRules, Contract, MetricsRules
from ..model.errors import AdminApiError
from ..model.exposition import Snapshot
from ..model.service import RevisionFacts, ServiceFacts
from ..model.target import Target
from ..probe.client import ServiceClient
from ..probe.scrape import scrape
from .state import TargetSession

if TYPE_CHECKING:
    from ..model.compare import BaselineChoice, Endpoint, PairedLoad

COMPARE_AGENT = "cloudrun-acceptance-compare"
STATS = "cloudrun_acceptance.checks.counts"
NOT_ASKED = "the comparison was not asked for: the contract has no compare: section"
NOT_CANDIDATE = (
    "compares a tagged candidate with the stable revision: check the candidate through its tag "
    "(--tag NAME, the candidate flow)"
)


@dataclass(frozen=True)
class Baseline:
    """The baseline as found, and what the gate did to reach it (a tag added, or nothing)."""

    choice: BaselineChoice
    added: str = ""  # "the tag 'baseline' was added (operation ...)"; "" when nothing changed
    error: str = ""  # the tag could not be added: why


@pytest.fixture(scope="session")
def compare_rules(contract: Contract, target: Target) -> CompareRules:
    """The contract's compare section; the comparison is skipped without one, or outside the
    candidate flow."""
    if contract.compare is None:
        pytest.skip(NOT_ASKED)
    if not target.tag:
        pytest.skip(NOT_CANDIDATE)
    return contract.compare


@pytest.fixture(scope="session")
def baseline(
    compare_rules: CompareRules,
    deployment: ServiceFacts,
    target: Target,
    _gate_state: TargetSession,
) -> Baseline:
    """The stable revision and how it is reached; with --baseline-tag NAME and a baseline
    without that tag, the gate adds it (tags only, no traffic share changes)."""
    from ..checks.baseline import find_baseline
    from ..model.compare import Endpoint

    settings = _gate_state.settings
    choice = find_baseline(
        deployment, _gate_state.contract.revision.traffic_percent, settings.baseline_tag
    )
    if not choice.add_tag:
        return Baseline(choice)
    from ..google.update import add_tag

    try:
        added = add_tag(
            deployment,
            endpoint=target.cloudrun_endpoint,
            tag=choice.add_tag,
            revision=choice.revision,
            timeout=settings.ready_timeout,
        )
    except AdminApiError as err:
        return Baseline(choice, error=f"{err.summary}; {err.advice}")
    url = next((row.uri for row in added.traffic if row.tag == choice.add_tag), "")
    if url:
        via = f"tag {choice.add_tag!r}, added by the gate"
        reached = replace(choice, endpoint=Endpoint(choice.revision, url, via))
    else:
        missing = f"the tag {choice.add_tag!r} was added, but the Admin API reports no URL for it"
        reached = replace(choice, problem=missing)
    return Baseline(
        reached,
        added=f"the gate added the tag {choice.add_tag!r} to {choice.revision} (operation "
        f"{added.operation}; no traffic share changed)",
    )


@pytest.fixture(scope="session")
def baseline_endpoint(baseline: Baseline) -> Endpoint:
    """Where the baseline answers; "not checked" when it cannot be reached (see
    test_baseline_is_reachable)."""
    endpoint = baseline.choice.endpoint
    if endpoint is None:
        pytest.fail(
            "not checked: the stable revision cannot be reached; see test_baseline_is_reachable",
            pytrace=False,
        )
    return endpoint


def _client(url: str, contract: Contract, _gate_state: TargetSession) -> ServiceClient:
    return ServiceClient.for_contract(
        url, contract, user_agent=COMPARE_AGENT, authorization=_gate_state.authorization
    )


@pytest.fixture(scope="session")
def paired_load(
    compare_rules: CompareRules,
    baseline_endpoint: Endpoint,
    target: Target,
    contract: Contract,
    _gate_state: TargetSession,
) -> PairedLoad:
    """The contract's request mix sent to both revisions, pair by pair, until the judge has
    decided every kind (probe/pairedload.py sends, checks/compare.py looks)."""
    from ..checks.blocks import BLOCK
    from ..checks.compare import still_open
    from ..model.compare import Endpoint
    from ..probe.pairedload import mix_of, run_paired_load

    rules = compare_rules
    kinds, left_out = mix_of(rules, target.test_session)
    assert target.url is not None
    assert target.revision is not None
    candidate = Endpoint(target.revision, target.url, target.url_origin)
    # scipy's import (about a second) overlaps the warm-up, which waits on sockets.
    threading.Thread(target=importlib.import_module, args=(STATS,), daemon=True).start()
    names = [kind.name for kind in kinds]
    return run_paired_load(
        baseline_endpoint,
        candidate,
        kinds,
        rules.concurrency,
        rules.deadline_seconds,
        lambda url: _client(url, contract, _gate_state),
        left_out,
        undecided=lambda load: still_open(load, rules, names),
        block=BLOCK,
    )


@pytest.fixture(scope="session")
def compared_expositions(
    paired_load: PairedLoad,
    metrics_rules: MetricsRules,
    contract: Contract,
    _gate_state: TargetSession,
) -> Iterator[tuple[Snapshot | str, Snapshot | str]]:
    """Both revisions' expositions, scraped after the paired load (both have served the same
    mix): a Snapshot each, or why there is none."""
    found: list[Snapshot | str] = []
    clients = []
    for endpoint in (paired_load.baseline, paired_load.candidate):
        client = _client(endpoint.url, contract, _gate_state)
        clients.append(client)
        got = scrape(client, metrics_rules)
        if got.snapshot is None or not got.usable:
            found.append(f"{got.exchange.url} gave no usable exposition ({got.detail})")
        else:
            found.append(got.snapshot)
    yield found[0], found[1]
    for client in clients:
        client.close()


@pytest.fixture(scope="session")
def baseline_revision(
    baseline_endpoint: Endpoint, deployment: ServiceFacts, target: Target
) -> RevisionFacts:
    """The stable revision as the Admin API describes it (for the configuration diff)."""
    from ..google.admin import describe_service

    try:
        facts = describe_service(
            deployment.ref, endpoint=target.cloudrun_endpoint, revision=baseline_endpoint.revision
        )
    except AdminApiError as err:
        pytest.fail(f"not checked: {err.summary}", pytrace=False)
    return facts.revision
