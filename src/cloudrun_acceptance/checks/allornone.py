"""Several targets (one service in several regions), released all or none: every target is
promoted only when every one passed; when one did not, none is promoted, and with
--rollback-on-failure every target that serves its checked revision goes back. Pure: the
statuses and facts in, a plan per target out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ..model.contract import RevisionRules
from ..model.release import ReleasePlan
from ..model.service import ServiceFacts
from .release import plan_release


def plan_all_or_none(
    statuses: Mapping[str, str],
    facts: Mapping[str, ServiceFacts],
    rules: RevisionRules,
    *,
    promote: bool,
    rollback: bool,
) -> dict[str, ReleasePlan]:
    """A plan per target whose facts are known (keyed as ``statuses``): each its own when
    every target passed, else the failed targets' own plans and, for those that passed, the
    plan of a failure ("it passed here, but ... did not")."""
    failing = [key for key, status in statuses.items() if status != "PASSED"]
    plans = {}
    for key, known in facts.items():
        own = statuses[key]
        if not failing or own != "PASSED":
            plans[key] = plan_release(own, known, rules, promote=promote, rollback=rollback)
            continue
        plan = plan_release("FAILED", known, rules, promote=promote, rollback=rollback)
        checked, share = known.revision.name, known.share_of(known.revision.name)
        others = ", ".join(failing)
        if plan.action == "rollback":
            why = (
                f"{checked} passed here, but the gate did not pass in {others}: the targets are "
                f"released all or none, so its {share}% goes back as well"
            )
        elif share:
            _, given, rest = plan.reason.partition("; ")  # "...; --rollback-on-failure was not..."
            why = (
                f"{checked} passed here, but the gate did not pass in {others}: the targets are "
                "released all or none; "
                + (rest if given else "no older revision is Ready to roll back to")
            )
        else:
            why = (
                f"{checked} passed here, but the gate did not pass in {others}: the targets are "
                "released all or none, so it is not promoted (it serves no traffic)"
            )
        plans[key] = replace(plan, reason=why)
    return plans
