"""Reading the service and the revision under check, and waiting for a deploy to settle.

Results are the model's plain values (google/convert.py turns protobuf into them).
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from ..model import gcloud
from ..model.errors import AdminApiError
from ..model.polling import Backoff, poll
from ..model.service import ServiceFacts, ServiceRef, TrafficRow
from .adminclient import API_TIMEOUT, RETRY_SECONDS, AdminClient
from .convert import revision_facts, revision_summary, short_name, traffic_row

__all__ = ["API_TIMEOUT", "RETRY_SECONDS", "describe_service", "describe_settled"]

SETTLE_BACKOFF = Backoff(first=0.25, cap=2.0)


def describe_service(
    ref: ServiceRef,
    *,
    endpoint: str | None,
    revision: str | None = None,
    tag: str | None = None,
    timeout: float = API_TIMEOUT,
    credentials: Any = None,
) -> ServiceFacts:
    """Read the service, the revision under check (the latest ready one, the one ``revision``
    names, or the one the traffic ``tag`` points at) and the history of revisions; raise
    AdminApiError with the fix when that fails. ``credentials``: google.auth's, if had."""
    api = AdminClient(ref, endpoint, timeout, credentials)
    service = api.call("run.services.get", api.services.get_service, name=ref.name)
    latest_ready = short_name(service.latest_ready_revision)
    latest_created = short_name(service.latest_created_revision)
    traffic = tuple(traffic_row(row, latest_ready) for row in service.traffic_statuses)
    tagged = _tagged(ref, traffic, tag, revision or latest_created) if tag else None
    checked = tagged.revision if tagged else revision or latest_ready
    if not checked:
        raise AdminApiError(
            f"service {ref.service} has no ready revision",
            f"the first deploy did not succeed; see `{gcloud.describe_service(ref)}`.",
        )
    revisions = api.revisions
    facts = revision_facts(
        api.call(
            "run.revisions.get", revisions.get_revision, name=f"{ref.name}/revisions/{checked}"
        )
    )
    newest = None
    if latest_created and latest_created not in {checked, latest_ready}:
        newest = revision_facts(
            api.call(
                "run.revisions.get",
                revisions.get_revision,
                name=f"{ref.name}/revisions/{latest_created}",
            )
        )
    history = api.call("run.revisions.list", revisions.list_revisions, parent=ref.name)
    return ServiceFacts(
        ref=ref,
        uri=service.uri,
        urls=tuple(service.urls),
        latest_ready=latest_ready,
        latest_created=latest_created,
        traffic=traffic,
        revision=facts,
        pinned=revision is not None,
        newest=newest,
        tag=tag or "",
        tag_url=tagged.uri if tagged else "",
        etag=service.etag,
        generation=int(service.generation),
        observed_generation=int(service.observed_generation),
        reconciling=bool(service.reconciling),
        history=tuple(revision_summary(item) for item in history),
        updated=service.update_time or None,
    )


def _tagged(
    ref: ServiceRef, traffic: tuple[TrafficRow, ...], tag: str, expected: str
) -> TrafficRow:
    """The traffic row that carries ``tag``; it must point at ``expected`` (the revision asked
    for, else the latest created one: the deploy that just made the candidate)."""
    table = ["traffic:", *(f"  {row}" for row in traffic or ["(no traffic status)"])]
    tags = sorted({row.tag for row in traffic if row.tag})
    row = next((row for row in traffic if row.tag == tag), None)
    describe = gcloud.describe_service(ref)
    if row is None:
        raise AdminApiError(
            f"service {ref.service} has no traffic tag {tag!r} (its tags: "
            f"{', '.join(tags) or 'none'})",
            f"deploy the candidate with the tag (gcloud run deploy {ref.service} --no-traffic "
            f"--tag {tag} ...), or give the tag it has with --tag; see `{describe}`.",
            evidence=tuple(table),
        )
    if row.revision != expected:
        raise AdminApiError(
            f"traffic tag {tag!r} points at {row.revision}, not at {expected}",
            "the deploy did not move the tag to its revision: deploy again with --tag "
            f"{tag}, or move it (`{gcloud.move_tag(ref, tag, expected)}`); to check the "
            f"tagged revision anyway, give --revision={row.revision}.",
            evidence=tuple(table),
        )
    if not row.uri:
        raise AdminApiError(
            f"traffic tag {tag!r} has no URL in the service's traffic status",
            f"wait for the deploy to finish and run the gate again; see `{describe}`.",
            evidence=tuple(table),
        )
    return row


def describe_settled(
    ref: ServiceRef,
    *,
    endpoint: str | None,
    revision: str | None = None,
    tag: str | None = None,
    timeout: float,
    credentials: Any = None,
) -> ServiceFacts:
    """``describe_service``, read again until the deploy has settled or ``timeout`` passes: a
    deploy caught half-way is waited for, not failed. The facts say how long that took."""
    start = time.monotonic()
    for _ in poll(start + timeout, SETTLE_BACKOFF):
        facts = describe_service(
            ref, endpoint=endpoint, revision=revision, tag=tag, credentials=credentials
        )
        if facts.settled:
            break
    return replace(facts, waited=time.monotonic() - start)
