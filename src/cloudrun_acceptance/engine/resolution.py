"""The target as the Admin API's reads resolve it: the URL and revision from the first read,
the full read checked against it, and what a canary phase's share leaves unreachable."""

from __future__ import annotations

from dataclasses import replace

from ..model.errors import AdminApiError
from ..model.service import ServiceAddress, ServiceFacts
from ..model.target import Target


def resolved(target: Target, address: ServiceAddress | None) -> Target:
    """The target with what the Admin API said: the URL (unless given) and the revision."""
    if address is None:
        return target
    origin = target.revision_origin or (
        f"traffic tag {address.tag!r}, from the Cloud Run Admin API"
        if address.tag
        else "latest ready, from the Cloud Run Admin API"
    )
    url_origin = target.url_origin
    if target.url is None and address.tag:
        url_origin = f"traffic tag {address.tag!r}, from the Cloud Run Admin API"
    return replace(
        target,
        url=target.url or address.url,
        url_origin=url_origin,
        revision=address.revision,
        revision_origin=origin,
    )


def canary_skip(found: ServiceFacts | AdminApiError) -> str:
    """Why a canary phase's checks of the service URL cannot run ("" at 100%): the URL leads
    to the phase's revision and to the others that share the traffic."""
    if not isinstance(found, ServiceFacts):
        return ""
    revision = found.revision.name
    share = found.share_of(revision)
    if share >= 100:
        return ""
    others = sorted({row.revision for row in found.traffic if row.percent} - {revision})
    return (
        f"in this canary phase {revision} serves {share}% of traffic: the service URL leads to "
        f"it and to {', '.join(others) or 'no other revision'}, so its checks cannot reach it "
        "alone; the phase is judged on its users' requests (test_canary_phase_is_judged_on_its_"
        "users_requests)"
    )


def moved(first: ServiceAddress | None, facts: ServiceFacts) -> ServiceFacts | AdminApiError:
    """The full read, unless it found the service moved since the first read pointed the gate
    (a deploy or a traffic change during the run): the checks would judge another revision
    than the one the service checks met."""
    if first is None or facts.address == first:
        return facts
    return AdminApiError(
        f"the service changed while the gate read it: first {first}, then {facts.address}",
        "a deploy or a traffic change ran during the gate; run the gate again once it has "
        "finished.",
    )
