"""Each target's session (``TargetSession``), kept in ``config.stash`` (the run's own, the first
target's), and what the run's targets share (``RunShared``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest

from ..config.settings import Settings, Sources
from ..engine.resolution import canary_skip, moved, resolved
from ..engine.run_budget import Budget, budget
from ..engine.service_stage import ServiceStage
from ..model.contract import Contract
from ..model.errors import AdminApiError
from ..model.secret import Secret
from ..model.service import ServiceAddress, ServiceFacts
from ..model.target import Target
from ..probe.auth import authorization
from ..probe.client import ServiceClient
from .inputs import RunInputs, read_inputs
from .targets import sandbox_target, targets_from_settings

# The Google clients, the sandbox and the reports load on the path that needs them: a run of a
# service URL reads no Admin API and starts no sandbox.
if TYPE_CHECKING:
    from ..engine.log_stage import LogsStage
    from ..engine.rollout_group import RolloutGroup
    from ..engine.rollout_steps import Rollout
    from ..google.address import AdminCredentials
    from ..google.quota import ReadPacer
    from ..sandbox.launcher import Sandbox

STATE_KEY = pytest.StashKey["TargetSession"]()


@dataclass(eq=False)
class RunShared:
    """What the run's targets share: their states, the run's own first (empty in a run of one
    target), the project's read-quota pacers (engine/read_quota.py), and the rollout group
    that moves every target's traffic together."""

    states: list[TargetSession] = field(default_factory=list)
    pacers: dict[str, ReadPacer] = field(default_factory=dict)
    rollout_group: RolloutGroup | None = None

    def group(self, build: Callable[[], RolloutGroup]) -> RolloutGroup:
        """The rollout group, built once (by the first target's rollout fixture)."""
        if self.rollout_group is None:
            self.rollout_group = build()
        return self.rollout_group


@dataclass(eq=False)  # one state per target: equal only to itself (pytest compares params)
class TargetSession:
    """One target's session: where it points (target, sandbox, authorization), what the Admin
    API said of it, its service and logs stages and its rollout, over the run's frozen inputs
    (``inputs``) and what the targets share (``shared``). Only this module writes it."""

    sources: Sources
    settings: Settings
    target: Target | None = None
    sandbox: Sandbox | None = None
    authorization: Secret | None = None
    # Some collected check reads the logs (set at collection): the stage may start early.
    logs_wanted: bool = False
    _logs: LogsStage | None = None
    _service: ServiceStage | None = None
    # The rollout in steps (--rollout), once its first step runs (``begin_rollout``).
    rollout: Rollout | None = None
    # Why the checks of the service URL are skipped (a canary phase below 100%), or "".
    url_skip: str = ""
    _lookup: ServiceFacts | AdminApiError | None = None
    # The first, plain read of the service (engine/first_read.py), and the Admin API's credentials.
    _address: ServiceAddress | None = None
    _credentials: AdminCredentials | None = None
    # Read at configure in a run that checks something (hooks.py), else on first use.
    _inputs: RunInputs | None = None
    # What the run's targets share (the states themselves, set by ``open``).
    shared: RunShared = field(default_factory=RunShared, repr=False)

    @property
    def inputs(self) -> RunInputs:
        """The run's frozen inputs (plugin/inputs.py): read at configure when the run checks
        something; in a run without a target, on first use (to name the checks' cases)."""
        if self._inputs is None:
            self._inputs = read_inputs(self.sources)
        return self._inputs

    @property
    def contract(self) -> Contract:
        """The contract (a bad one is a usage error, raised at configure)."""
        return self.inputs.contract

    @property
    def expected_env(self) -> dict[str, str]:
        """env.yaml's variables."""
        return dict(self.inputs.expected_env)

    @property
    def env_keys(self) -> list[str]:
        """The names env.yaml sets: one revision check each (read even when a value is bad)."""
        return list(self.inputs.env_keys)

    @property
    def env_problem(self) -> str | None:
        """In a pre-flight run, why env.yaml could not be read: its checks report it."""
        return self.inputs.env_problem

    def join(self, target: Target) -> None:
        """On an xdist worker: take the target the controller resolved, with the same inputs
        (read at configure) and authorization."""
        self.target = target
        self.authorize()

    def open(self, add_cleanup: Callable[[Callable[[], None]], None], *, early: bool) -> None:
        """Resolve the targets (the inputs read at configure): start the sandbox if asked, and
        read each service and revision from the Admin API when the service is named (``early``:
        only its address now, the rest at the end of collection). With several targets (one
        service in several regions), this state is the first's and each other has its own."""
        sandboxes: list[Sandbox | None]
        if self.settings.sandbox:
            from .launch import launch_sandboxes

            source = self.settings.preflight or self.sources.rootdir
            started = launch_sandboxes(self.settings, self.contract, self.expected_env, source)
            for sandbox in started:
                add_cleanup(sandbox.stop)
            sandboxes = list(started)
            first = sandbox_target(self.settings, started[0])
            targets = [first] + [
                sandbox_target(self.settings, sandbox, first.run_id) for sandbox in started[1:]
            ]
        else:
            targets = targets_from_settings(self.settings)
            sandboxes = [None] * len(targets)
        self.target, self.sandbox = targets[0], sandboxes[0]
        more = zip(targets[1:], sandboxes[1:], strict=True)
        self.shared.states = [self] + [self._sibling(target, sandbox) for target, sandbox in more]
        for state in self.shared.states:
            state._locate(early=early)

    def _sibling(self, target: Target, sandbox: Sandbox | None) -> TargetSession:
        """The state of a further target: this run's settings, contract and env.yaml."""
        return TargetSession(
            self.sources,
            self.settings,
            target=target,
            sandbox=sandbox,
            _inputs=self._inputs,
            shared=self.shared,
        )

    def note_logs_wanted(self, wanted: bool) -> None:
        """Whether a collected check of this target reads the logs (set at collection): its
        logs stage may then start with the analysis."""
        self.logs_wanted = wanted

    def begin_rollout(self, rollout: Rollout) -> None:
        """This target's rollout, once its first step runs (the release asks it the outcome)."""
        self.rollout = rollout

    def run_states(self) -> list[TargetSession]:
        """The run's states, a target each, the first (the run's own) first."""
        return self.shared.states or [self]

    def _locate(self, *, early: bool) -> None:
        """The target's address (one plain read, or the full read when it fails), its canary
        phase's share, and its authorization."""
        assert self.target is not None
        if self.target.ref is not None:
            # The address first, in one plain read; the full read comes at the end of
            # collection, beside the forced analysis's wait, or now when that read failed.
            if early:
                from ..engine.first_read import read_address

                self._address, self._credentials = read_address(self.target)
            if self._address is None:
                found = self.lookup()
                self._address = found.address if isinstance(found, ServiceFacts) else None
            self.target = resolved(self.target, self._address)
            if self.settings.canary_phase:
                self.url_skip = canary_skip(self.lookup())
        self.authorize()

    def authorize(self) -> None:
        """The Authorization header for ``--auth``, resolved once; a missing token is a usage
        error here, before any check runs."""
        if self.target is not None and self.target.url is not None:
            settings = self.settings
            self.authorization = authorization(
                settings.auth, settings.token_env, self.target.url, os.environ
            )

    def budget(self) -> Budget:
        """The run's worst case (the sum of its deadlines), for the header and the backstop."""
        target = self.target
        return budget(
            self.settings,
            self.contract,
            service=target is not None and target.ref is not None,
            session=target is not None and target.test_session is not None,
        )

    def lookup(self) -> ServiceFacts | AdminApiError:
        """The service and revision from the Admin API, read once (or why that failed)."""
        if self._lookup is None:
            target = self.target
            assert target is not None
            assert target.ref is not None
            from ..google.admin import describe_settled

            try:
                # A deploy caught half-way is waited for (up to --ready-timeout), not judged.
                self._lookup = moved(
                    self._address,
                    describe_settled(
                        target.ref,
                        endpoint=target.cloudrun_endpoint,
                        revision=self.settings.revision,
                        tag=target.tag,
                        timeout=self.settings.ready_timeout,
                        credentials=self._credentials and self._credentials.credentials,
                    ),
                )
            except AdminApiError as err:
                self._lookup = err
        return self._lookup

    def known_facts(self) -> ServiceFacts | AdminApiError | None:
        """The Admin API's full read, when it has been made (the record learns it later)."""
        return self._lookup

    def logs(self, facts: ServiceFacts) -> LogsStage:
        """The logs stage of the revision the Admin API described (built once)."""
        if self._logs is None:
            from ..engine.log_stage import logs_stage
            from ..engine.read_quota import read_pacer

            assert self.target is not None
            per_minute = self.contract.logs.reads_per_minute
            pacer = read_pacer(self.shared.pacers, facts.ref.project, per_minute)
            timeout = self.settings.logs_timeout
            self._logs = logs_stage(self.target, facts, self.contract, timeout, pacer)
        return self._logs

    def start_logs_early(self) -> None:
        """Start the logs stage now, if a collected check reads the logs and the Admin API
        described the revision: called by the analysis check, once the service has answered,
        so that the rest of the analysis wait overlaps it."""
        if self.logs_wanted and self.target is not None and self.target.ref is not None:
            found = self.lookup()
            if isinstance(found, ServiceFacts):
                self.logs(found).start()

    def service_stage(self) -> ServiceStage:
        """The session's client of the service and its steps (built once; the URL is known)."""
        if self._service is None:
            target = self.target
            assert target is not None
            assert target.url is not None
            client = ServiceClient.for_contract(
                target.url,
                self.contract,
                user_agent=target.user_agent,
                authorization=self.authorization,
            )
            self._service = ServiceStage(
                client,
                self.contract,
                self.settings.ready_timeout,
                target.test_session,
                # The sandbox knows when its own service is gone: the health wait ends then.
                gone=self.sandbox.failure if self.sandbox is not None else None,
            )
        return self._service

    def start_early(self, wanted: set[str]) -> None:
        """Start the service stage's thread now (once), through the last step the checks will
        ask for (``wanted``: their fixtures): plugin/early.py's plan says when."""
        if self.target is not None and self.target.url is not None:
            stage = self.service_stage()
            analysis, cache = "analysis_run" in wanted, "cache_run" in wanted
            stage.start(stage.furthest(analysis=analysis, cache=cache))

    def read_in_full(self) -> None:
        """Read the Admin API in full, beside the analysis's wait. The logs stage starts with
        the analysis check, once the service has answered: a cold start must not eat the logs
        deadline."""
        if self.target is not None and self.target.ref is not None:
            self.lookup()

    def lookup_problem(self) -> str:
        """Why the target has no URL, for "not checked" messages."""
        if self.target is not None and self.target.ref is not None:
            found = self.lookup()
            if isinstance(found, AdminApiError):
                return f"{found.summary}; see test_admin_api_describes_the_service"
        return "give --service-url, or --project/--region/--service"


def state_of(config: pytest.Config) -> TargetSession:
    """The state of this run (set in pytest_configure)."""
    return config.stash[STATE_KEY]
