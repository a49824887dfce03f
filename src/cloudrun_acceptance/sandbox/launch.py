"""The sandboxes a contract and its faults ask for: the example's reference service, or the
team's own service when the contract has a ``sandbox`` section; one sandbox per region with a
region profile (``faults/regions.py`` says which regions, and each one's faults). One path for
the plugin and for ``python -m cloudrun_acceptance.sandbox``, so both start the same
deployment."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..model.contract import Contract
from ..model.errors import ConfigError
from ..model.service import folder_service_name
from .faults.profiles import FAULTS, behaviour_for
from .faults.regions import check_regions, faults_for_region, regions_for, unprefixed
from .launcher import Sandbox, start_sandbox
from .logging.api import ReadQuota
from .ownservice.process import own_service_spec
from .platform.deployment import REGION


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


def start_regions(
    contract: Contract,
    env: Mapping[str, str],
    *,
    source: Path,
    faults: tuple[str, ...] = (),
    faults_origin: str = "--sandbox-fault",
    analysis_seconds: float = 1.0,
) -> list[Sandbox]:
    """One sandbox per region the faults deploy in (``regions.REGIONS``, in order), each with
    its region's faults; without a region profile, the one sandbox ``start_for_contract``
    starts. If a region fails to start, those already started are stopped before the error
    propagates."""
    check_faults(unprefixed(faults), faults_origin, own_service=contract.sandbox is not None)
    check_regions(faults, faults_origin)
    regions = regions_for(faults)
    if not regions:
        return [
            start_for_contract(
                contract,
                env,
                source=source,
                faults=faults,
                faults_origin=faults_origin,
                analysis_seconds=analysis_seconds,
            )
        ]
    started: list[Sandbox] = []
    # One project: its regions' Logging APIs share its read quota.
    behaviour = behaviour_for(unprefixed(faults))
    quota = ReadQuota(behaviour.logging_reads_per_minute)
    try:
        for region in regions:
            started.append(
                start_for_contract(
                    contract,
                    env,
                    source=source,
                    faults=faults_for_region(faults, region),
                    faults_origin=faults_origin,
                    analysis_seconds=analysis_seconds,
                    region=region,
                    quota=quota,
                )
            )
    except BaseException:
        for sandbox in reversed(started):
            sandbox.stop()
        raise
    return started
