"""The run's targets: one, or one service in several regions, checked all or none; what the
settings and a running sandbox name, and each target's name in test ids and reports.

Each target gets a ``TargetSession`` of its own (targetstates.py gives the states their keys and
the checks a case per state).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..config.settings import Settings, target_from_settings
from ..model.target import Target

if TYPE_CHECKING:
    from ..sandbox.launcher import Sandbox


def targets_from_settings(settings: Settings) -> list[Target]:
    """The targets the settings name: the first, then one per further region."""
    first = target_from_settings(settings)
    more = [
        replace(first, region=ref.region, service=ref.service) for ref in settings.service_refs[1:]
    ]
    return [first, *more]


def sandbox_target(settings: Settings, sandbox: Sandbox, run_id: str | None = None) -> Target:
    """The target a running sandbox is (with --tag, the URL is the tag's, as the Admin API
    reports it)."""
    deployment = sandbox.deployment
    target = Target(
        url=None if settings.tag else sandbox.service_url,
        url_origin="--sandbox",
        project=deployment.project,
        region=deployment.region,
        service=deployment.service,
        revision=settings.revision,
        revision_origin=settings.origins.get("revision", ""),
        tag=settings.tag,
        cloudrun_endpoint=sandbox.admin_endpoint,
        logging_endpoint=sandbox.logging_endpoint,
        monitoring_endpoint=sandbox.monitoring_endpoint,
        test_session=settings.test_session or sandbox.session_id,
        session_origin=settings.origins.get("test_session", _sandbox_session(sandbox)),
        sandbox_faults=settings.sandbox_faults,
        sandbox_service=sandbox.describe(),
    )
    return replace(target, run_id=run_id) if run_id else target


def target_key(target: Target, targets: list[Target]) -> str:
    """A target's name in test ids and reports: its region, or ``region-service`` when the
    targets' services differ."""
    services = {other.service for other in targets}
    region = target.region or "unknown-region"
    return region if len(services) == 1 else f"{region}-{target.service}"


def _sandbox_session(sandbox: Sandbox) -> str:
    """Where the sandbox's test session comes from: the example's reference service seeds its
    own; the team's service is given the contract's."""
    if sandbox.own is None:
        return "the sandbox's pre-seeded session"
    return "sandbox.test_session in the contract, sandbox-session unless given"
