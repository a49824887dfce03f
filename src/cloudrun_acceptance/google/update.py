"""Changing the service's traffic through UpdateService: the etag the gate judged, the
long-running operation, the reconcile, and a re-read that confirms what was changed."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import gcloud
from ..model.errors import AdminApiError
from ..model.service import ServiceFacts, ServiceRef, TrafficRow
from .admin import describe_settled
from .adminclient import API_TIMEOUT, AdminClient
from .convert import traffic_targets


@dataclass(frozen=True)
class Updated:
    """A finished update: the operation's name, and the traffic as read back afterwards (with
    the service's new etag, for the next update)."""

    operation: str
    traffic: tuple[TrafficRow, ...]
    etag: str = ""


def update_traffic(
    ref: ServiceRef,
    *,
    endpoint: str | None,
    etag: str,
    traffic: Sequence[TrafficRow],
    revision: str,
    timeout: float,
) -> Updated:
    """Send ``traffic`` to the service, refused if it changed since the gate read ``etag``;
    wait (up to ``timeout``) for the operation and the reconcile, and read the traffic back.

    Raise AdminApiError saying whether anything was changed when that fails.
    """
    from google.api_core.future.polling import DEFAULT_POLLING

    api = AdminClient(ref, endpoint, API_TIMEOUT)
    service = api.call("run.services.get", api.services.get_service, name=ref.name)
    service.etag = etag
    del service.traffic[:]
    service.traffic.extend(traffic_targets(traffic))
    # Only the traffic is updated (update_mask); the template read back names no revision, as
    # Cloud Run refuses a template naming an existing revision it does not match exactly
    # (409 ALREADY_EXISTS), the mask notwithstanding.
    service.template.revision = ""
    from google.protobuf.field_mask_pb2 import FieldMask

    operation = api.call(
        "run.services.update",
        api.services.update_service,
        service=service,
        update_mask=FieldMask(paths=["traffic"]),
    )
    name = str(operation.operation.name)
    started = time.monotonic()
    # The library's polling waits 1 s before its first look: a short operation need not.
    polling = DEFAULT_POLLING.with_delay(initial=0.2, maximum=1.0, multiplier=1.5).with_timeout(
        timeout
    )
    try:
        operation.result(timeout=timeout, polling=polling)
    except Exception as err:
        raise _unfinished(ref, name, timeout, err) from err
    remaining = max(1.0, timeout - (time.monotonic() - started))
    facts = describe_settled(ref, endpoint=endpoint, revision=revision, timeout=remaining)
    return Updated(name, facts.traffic, facts.etag)


def _unfinished(ref: ServiceRef, operation: str, timeout: float, err: Exception) -> AdminApiError:
    return AdminApiError(
        f"the update of {ref.service} was accepted, but its operation {operation} did not finish "
        f"within {timeout:g} s ({type(err).__name__}: {err})",
        "the change may still complete or may have failed: read the traffic with "
        f"`{gcloud.describe_service(ref)}` and set it by hand if it is not what you want.",
    )


def add_tag(
    facts: ServiceFacts, *, endpoint: str | None, tag: str, revision: str, timeout: float
) -> Updated:
    """Add the traffic tag ``tag`` on ``revision``: every share as the gate read it (``facts``,
    its etag), one tag more. Raise AdminApiError when that fails."""
    traffic = (*facts.traffic, TrafficRow(revision, 0, tag=tag))
    updated = update_traffic(
        facts.ref,
        endpoint=endpoint,
        etag=facts.etag,
        traffic=traffic,
        revision=facts.revision.name,
        timeout=timeout,
    )
    if not any(row.tag == tag and row.revision == revision for row in updated.traffic):
        raise AdminApiError(
            f"the tag {tag!r} was asked for on {revision}, but the traffic read back has none",
            f"read the service with `{gcloud.describe_service(facts.ref)}`",
        )
    return updated
