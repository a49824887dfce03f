"""Pointing the gate at the service before google-cloud-run is loaded: one GET of the v2
service with the gate's HTTP client, read by google/address.py.

Best effort: any failure gives None, and the full read through google-cloud-run resolves the
target (and reports the failure, with its fix). The credentials are kept either way, so that
one token serves both reads.
"""

from __future__ import annotations

from ..google.address import (
    AdminCredentials,
    address_of,
    credentials_for,
    endpoint_base,
    service_path,
)
from ..model.service import ServiceAddress
from ..model.target import Target
from ..probe.client import ServiceClient

# A read that has not answered in this long is left to the library, which retries and reports.
ADDRESS_TIMEOUT = 5.0
ADDRESS_BODY_BYTES = 1 << 20


def read_address(target: Target) -> tuple[ServiceAddress | None, AdminCredentials | None]:
    """The address of the revision under check, or None; and the Admin API's credentials."""
    ref = target.ref
    assert ref is not None
    credentials = credentials_for(target.cloudrun_endpoint)
    if credentials is None:
        return None, None
    client = ServiceClient(
        endpoint_base(target.cloudrun_endpoint),
        user_agent=target.user_agent,
        timeout=ADDRESS_TIMEOUT,
        authorization=credentials.authorization,
        max_body_bytes=ADDRESS_BODY_BYTES,
    )
    try:
        exchange = client.get(service_path(ref), headers=credentials.headers)
    finally:
        client.close()
    if exchange.status_code != 200:
        return None, credentials
    found = address_of(exchange.json_or_none(), revision=target.revision, tag=target.tag)
    return found, credentials
