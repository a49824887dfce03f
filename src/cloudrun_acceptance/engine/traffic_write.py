"""Writing a release's traffic: UpdateService with the etag the gate judged (a change made
meanwhile is refused, never overwritten), the long-running operation and the reconcile waited
for, then the traffic read back and compared with what was asked. Used by the release at the
end of the run (plugin/release.py) for a promotion, a rollback, or a put-back."""

from __future__ import annotations

from datetime import UTC, datetime

from ..model.errors import AdminApiError
from ..model.release import ReleaseOutcome, ReleasePlan
from ..model.service import ServiceFacts


def write_traffic(
    plan: ReleasePlan, facts: ServiceFacts, *, endpoint: str | None, timeout: float
) -> tuple[ReleaseOutcome, str]:
    """The plan's traffic for the service ``facts`` describes, and the service's etag after
    the write ("" when nothing was written)."""
    from ..google.update import update_traffic

    verb = "promotion" if plan.action == "promote" else "rollback"
    at = datetime.now(UTC)
    try:
        updated = update_traffic(
            facts.ref,
            endpoint=endpoint,
            etag=facts.etag,
            traffic=plan.traffic,
            revision=facts.revision.name,
            timeout=timeout,
        )
    except AdminApiError as err:
        refused = ReleaseOutcome(
            plan,
            changed=False,
            summary=f"the {verb} failed: {err.summary}",
            failed=True,
            advice=err.advice,
            at=at,
            before=facts.traffic,
        )
        return refused, ""
    wanted = {row.revision: row.percent for row in plan.traffic if row.percent}
    got = {row.revision: row.percent for row in updated.traffic if row.percent}
    if wanted != got:
        differs = ReleaseOutcome(
            plan,
            changed=True,
            summary=f"the {verb} was applied, but the traffic read back is not what was asked "
            f"({_shares(got)} instead of {_shares(wanted)})",
            failed=True,
            advice="another change may have come in at the same time: read the service and "
            "set its traffic by hand.",
            operation=updated.operation,
            at=at,
            before=facts.traffic,
            after=updated.traffic,
        )
        return differs, updated.etag
    done = ReleaseOutcome(
        plan,
        changed=True,
        summary=f"{'promoted' if plan.action == 'promote' else 'rolled back'}: "
        f"{_shares(got)} (operation {updated.operation})",
        operation=updated.operation,
        at=at,
        before=facts.traffic,
        after=updated.traffic,
    )
    return done, updated.etag


def _shares(shares: dict[str, int]) -> str:
    return ", ".join(f"{percent}% to {name}" for name, percent in shares.items()) or "no traffic"
