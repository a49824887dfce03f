"""The sandbox deployment: one model that the service, the Admin API and the Logging API share.

It is what ``gcloud run deploy`` would have produced: a service with a latest ready revision (and
an older one), env from env.yaml, the contract's secrets, resources, and the faults applied. In
the candidate flow the older revision still serves, with a ``Runtime`` of its own.
"""

from __future__ import annotations

import itertools
import json
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from ...model.contract import SecretRef
from ..behaviour import Behaviour, stable_behaviour
from ..logging.terms import SEVERITIES

if TYPE_CHECKING:
    from collections.abc import Iterator

    import numpy as np
    from numpy.typing import NDArray

    from ..logging.filter import Scope

PROJECT = "sandbox-project"
PROJECT_NUMBER = "123456789012"
REGION = "europe-west1"
# The example's service; the team's own service takes its name from the contract's sandbox
# section (or its source folder).
SERVICE = "emergence-app"
# The revision history, oldest first: a good one, a deploy that failed, the one under check, and
# (with the not_ready fault) a newer one that failed too. Named after the service.
HISTORY = ("00001-xyz", "00002-fgh", "00003-abc", "00004-def")
PREVIOUS_REVISION, OLDER_FAILED_REVISION, REVISION, FAILED_REVISION = (
    f"{SERVICE}-{suffix}" for suffix in HISTORY
)
CANDIDATE_TAG = "candidate"
SESSION_ID = "sandbox-session"
# The one identity token the private sandbox service accepts (the `private` fault): a stand-in
# for `gcloud auth print-identity-token`, shaped like one, and never printed by the gate.
IDENTITY_TOKEN = "eyJhbGciOiJSUzI1NiJ9.c2FuZGJveC1jYW5hcnk.c2lnbmF0dXJlLWNhbmFyeQ"
CRASH_SESSION_ID = "sandbox-crash"
DEFAULT_RESOURCES: Mapping[str, str] = {
    "cpu": "2",
    "memory": "4Gi",
    "timeout_seconds": "600",
    "max_instances": "10",
    "min_instances": "0",
}


def loopback_url(port: int) -> str:
    """The URL of a sandbox server's port (a service or a tag URL)."""
    return f"http://127.0.0.1:{port}"


@dataclass(frozen=True)
class Runtime:
    """What one revision runs with: its app's behaviour, its env, secrets and resources."""

    behaviour: Behaviour
    env: Mapping[str, str]
    secrets: tuple[SecretRef, ...]
    resources: Mapping[str, str]


@dataclass(frozen=True)
class Deployment:
    """The deployed sandbox: names, env, secrets and resources as the Admin API describes them."""

    behaviour: Behaviour
    env: Mapping[str, str]
    secrets: tuple[SecretRef, ...]
    resources: Mapping[str, str]
    analysis_seconds: float
    created_at: datetime
    service_url: str = ""
    # The first tag URL: the candidate tag's, when the deploy gave one (traffic.Traffic hands
    # out the others).
    tag_url: str = ""
    project: str = PROJECT
    region: str = REGION
    service: str = SERVICE
    # The candidate flow's stable revision (the previous one), live beside the one under check;
    # None in the other flows, where every revision runs the deploy's config.
    stable: Runtime | None = None

    @property
    def service_name(self) -> str:
        """The Admin API resource name of the service."""
        return f"projects/{self.project}/locations/{self.region}/services/{self.service}"

    @property
    def history(self) -> tuple[str, str, str, str]:
        """The revisions' names, oldest first: previous (good), older failed, under check, and
        the failed one of the not_ready fault."""
        previous, older_failed, checked, failed = (f"{self.service}-{s}" for s in HISTORY)
        return previous, older_failed, checked, failed

    @property
    def revision(self) -> str:
        """The revision under check."""
        return self.history[2]

    @property
    def previous_revision(self) -> str:
        """The good revision before it, which a rollback returns to."""
        return self.history[0]

    @property
    def runtime(self) -> Runtime:
        """What the revision under check runs with."""
        return Runtime(self.behaviour, self.env, self.secrets, self.resources)

    def runtime_of(self, revision: str) -> Runtime:
        """What ``revision`` runs with: the candidate flow's stable revision its own, any other
        the deploy's."""
        if self.stable is not None and revision == self.previous_revision:
            return self.stable
        return self.runtime

    @property
    def live_revisions(self) -> tuple[str, ...]:
        """The revisions with an app of their own, oldest first: the candidate flow's stable one
        and the one under check; in the other flows the one under check alone (which answers
        every request, whatever revision the traffic names)."""
        if self.stable is None:
            return (self.revision,)
        return self.previous_revision, self.revision

    @property
    def image(self) -> str:
        """The image the revisions run, as a source deploy pushes it."""
        return f"{self.region}-docker.pkg.dev/{self.project}/apps/{self.service}:sandbox"


def plan_deployment(  # noqa: PLR0917 - what a deploy is made of
    behaviour: Behaviour,
    env_file: Mapping[str, str],
    secret_refs: tuple[SecretRef, ...],
    resources: Mapping[str, str],
    analysis_seconds: float,
    service: str = SERVICE,
    *,
    region: str = REGION,
) -> Deployment:
    """What the revision carries: env.yaml and the contract's secrets, with the faults applied;
    in the candidate flow, what the stable revision carries too (a good revision's, with the
    changes its profiles made). Deployed in ``region``: every name the Admin API and the
    Logging API give (``projects/P/locations/REGION/...``, the entries' location) reads it
    from the deployment."""
    pinned = secret_refs
    if behaviour.secret_version is not None:
        version = behaviour.secret_version
        secret_refs = tuple(SecretRef(ref.env, ref.secret, version) for ref in secret_refs)
    stable = None
    if behaviour.flow == "candidate":
        old = stable_behaviour(behaviour)
        stable = Runtime(
            old,
            _changed(env_file, old.env_changes),
            pinned,
            {**DEFAULT_RESOURCES, **resources, **behaviour.stable_resources},
        )
    return Deployment(
        behaviour=behaviour,
        env=_changed(env_file, behaviour.env_changes),
        secrets=secret_refs,
        resources={**DEFAULT_RESOURCES, **resources},
        analysis_seconds=analysis_seconds,
        created_at=datetime.now(UTC) - timedelta(seconds=2),
        region=region,
        service=service,
        stable=stable,
    )


def _changed(env: Mapping[str, str], changes: Mapping[str, str | None]) -> dict[str, str]:
    """``env`` with ``changes``: a value set, or removed when None."""
    changed = dict(env)
    for key, value in changes.items():
        if value is None:
            changed.pop(key, None)
        else:
            changed[key] = value
    return changed


def _json_object(text: str) -> dict[str, Any] | None:
    if not text.startswith("{"):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def rfc3339(moment: datetime) -> str:
    """A UTC timestamp as Google APIs write it: ``2026-11-25T10:00:00.123456Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class SimulatedRequests(Protocol):
    """What simulated users (simulated.py) give the Logging and Monitoring APIs, on demand."""

    def now(self) -> float:
        """The wall clock the users are simulated on (seconds since the epoch)."""

    def requests(self, scope: Scope, visible_before: float) -> Iterator[dict[str, Any]]:
        """The request log entries of the requests in ``scope`` that had ended by then."""

    def latencies(
        self, start: float, end: float
    ) -> dict[tuple[str, int, int], NDArray[np.float64]]:
        """(revision, status, second) -> the latencies in ms of those requests."""


@dataclass
class LogStore:
    """The revision's log entries, in the LogEntry JSON shape; shared by service and Logging API."""

    deployment: Deployment
    entries: list[dict[str, Any]] = field(default_factory=list)
    # The users simulated at a rate, whose requests' entries are made on demand.
    simulated: SimulatedRequests | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count[int] = field(default_factory=itertools.count)
    _written: list[float] = field(default_factory=list)

    def _base(
        self, log: str, severity: str | None, when: datetime | None, revision: str | None = None
    ) -> dict[str, Any]:
        moment = when or datetime.now(UTC)
        d = self.deployment
        return {
            "logName": f"projects/{d.project}/logs/run.googleapis.com%2F{log}",
            "resource": {
                "type": "cloud_run_revision",
                "labels": {
                    "project_id": d.project,
                    "location": d.region,
                    "service_name": d.service,
                    "revision_name": revision or d.revision,
                    "configuration_name": d.service,
                },
            },
            "timestamp": rfc3339(moment),
            "receiveTimestamp": rfc3339(moment + timedelta(milliseconds=40)),
            "insertId": f"sandbox{next(self._ids):08d}",
        } | ({"severity": severity} if severity else {})

    def output(
        self,
        text: str,
        stream: str = "stderr",
        when: datetime | None = None,
        revision: str | None = None,
    ) -> None:
        """A line the service (the reference one, or the team's own) wrote to ``stream``, as
        Cloud Run logs it, under ``revision`` (the one under check unless given): a JSON object
        is a structured entry with its ``severity``; a plain line is a textPayload with no
        severity (DEFAULT), whatever it says."""
        payload = _json_object(text)
        if payload is None:
            entry = self._base(stream, None, when, revision)
            entry["textPayload"] = text
        else:
            severity = str(payload.pop("severity", "")).upper()
            level = severity if severity in SEVERITIES else None
            entry = self._base(stream, level, when, revision)
            entry["jsonPayload"] = payload
        self._append(entry)

    def request(  # noqa: PLR0917 - the fields of a request log entry
        self,
        method: str,
        url: str,
        status: int,
        latency: float,
        user_agent: str,
        revision: str | None = None,
        when: datetime | None = None,
    ) -> None:
        """A request log entry, as Cloud Run writes one per request, for the revision that
        answered it, at ``when`` (the time it was received; now unless given)."""
        severity = "ERROR" if status >= 500 else "WARNING" if status >= 400 else "INFO"
        entry = self._base("requests", severity, when, revision)
        entry["httpRequest"] = {
            "requestMethod": method,
            "requestUrl": url,
            "status": status,
            "latency": f"{latency:.6f}s",
            "userAgent": user_agent,
            "remoteIp": "127.0.0.1",
            "protocol": "HTTP/1.1",
        }
        entry["trace"] = f"projects/{self.deployment.project}/traces/{secrets.token_hex(16)}"
        self._append(entry)

    def _append(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self.entries.append(entry)
            self._written.append(time.monotonic())

    def snapshot(self, lag: float = 0.0) -> list[dict[str, Any]]:
        """A copy of every entry written at least ``lag`` seconds ago, oldest first: what Cloud
        Logging shows of them, when it ingests entries that long after they are written."""
        with self._lock:
            visible_before = time.monotonic() - lag
            return [
                e for e, at in zip(self.entries, self._written, strict=True) if at <= visible_before
            ]
