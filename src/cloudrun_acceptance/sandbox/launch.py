"""The sandbox a contract asks for: the example's reference service, or the team's own service
when the contract has a ``sandbox`` section. One path for the plugin and for
``python -m cloudrun_acceptance.sandbox``, so both start the same deployment."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..model.contract import Contract
from ..model.errors import ConfigError
from ..model.service import folder_service_name
from .deployment import REGION
from .faults import FAULTS
from .launcher import Sandbox, start_sandbox
from .loggingapi import ReadQuota
from .ownservice import own_service_spec


def service_name(rules_service: str, source: Path) -> str:
    """The sandbox's name for the team's service: the contract's, else its folder's name made
    a Cloud Run service name (``My_Shop`` -> ``my-shop``)."""
    return rules_service or folder_service_name(source)


def check_faults(faults: tuple[str, ...], origin: str, *, own_service: bool) -> None:
    """Every fault is one of the sandbox's profiles, and applies to the service it runs."""
    unknown = [name for name in faults if name not in FAULTS]
    if unknown:
        raise ConfigError(
            f"unknown sandbox fault {unknown[0]!r} from {origin}; known faults: "
            f"{', '.join(sorted(FAULTS))}."
        )
    reference = [name for name in faults if FAULTS[name].scope == "reference"]
    if own_service and reference:
        platform = sorted(name for name, fault in FAULTS.items() if fault.scope == "platform")
        raise ConfigError(
            f"sandbox fault {reference[0]!r} from {origin} changes the example's reference "
            "service, and this contract's sandbox section runs your own service; give one of "
            f"the platform's faults, which apply to any service: {', '.join(platform)}."
        )


def start_for_contract(
    contract: Contract,
    env: Mapping[str, str],
    *,
    source: Path,
    faults: tuple[str, ...] = (),
    faults_origin: str = "--sandbox-fault",
    analysis_seconds: float = 1.0,
    region: str = REGION,
    quota: ReadQuota | None = None,
) -> Sandbox:
    """Start the sandbox ``contract`` describes, deployed in ``region`` with ``env`` and
    ``faults``, its Logging API within the project's read ``quota`` (its own unless given)."""
    rules = contract.sandbox
    check_faults(faults, faults_origin, own_service=rules is not None)
    if rules is None:
        return start_sandbox(
            contract,
            env,
            faults=faults,
            analysis_seconds=analysis_seconds,
            region=region,
            quota=quota,
        )
    spec = own_service_spec(rules, source, contract.path)
    return start_sandbox(
        contract,
        env,
        faults=faults,
        own=spec,
        service=service_name(rules.service, source),
        region=region,
        quota=quota,
    )
