"""Acting on the verdict, decided: promote a passed candidate, roll back a failed revision that
serves traffic, or tell the operator the exact commands. Pure: the facts in, a plan out."""

from __future__ import annotations

from collections import defaultdict

from ..model import gcloud
from ..model.contract import RevisionRules
from ..model.release import ReleasePlan
from ..model.service import ServiceFacts, TrafficRow


def plan_release(
    status: str, facts: ServiceFacts, rules: RevisionRules, *, promote: bool, rollback: bool
) -> ReleasePlan:
    """The plan for a gate whose status is PASSED, FAILED or INCONCLUSIVE."""
    if status == "PASSED":
        return _after_pass(facts, rules, promote=promote)
    return _after_failure(facts, rollback=rollback)


def _after_pass(facts: ServiceFacts, rules: RevisionRules, *, promote: bool) -> ReleasePlan:
    checked, share = facts.revision.name, facts.share_of(facts.revision.name)
    wanted = rules.traffic_percent
    if share == wanted:
        return ReleasePlan("none", f"{checked} passed and already serves {share}% of traffic")
    if not promote:
        return ReleasePlan(
            "none",
            f"{checked} passed and serves {share}% of traffic; --promote was not given, so "
            "nothing was changed",
            commands=(_promotion_command(facts, wanted),),
        )
    return ReleasePlan(
        "promote",
        f"{checked} passed every check: it gets {wanted}% of traffic (revision.traffic_percent)",
        traffic=promoted(facts, wanted),
    )


def _cleanup(facts: ServiceFacts) -> tuple[str, ...]:
    """The delete of the failed revision, when Cloud Run would do it now: it refuses to delete
    the latest created revision (the next deploy makes it an older one), and one that serves
    traffic or carries a tag."""
    checked = facts.revision.name
    tagged = any(row.tag and row.revision == checked for row in facts.traffic)
    if checked == facts.latest_created or facts.share_of(checked) or tagged:
        return ()
    return (str(gcloud.delete_revision(facts.ref, checked)),)


def _after_failure(facts: ServiceFacts, *, rollback: bool) -> ReleasePlan:
    checked, share = facts.revision.name, facts.share_of(facts.revision.name)
    cleanup = _cleanup(facts)
    if share == 0:
        return ReleasePlan(
            "none",
            f"{checked} failed the gate but serves no traffic: nothing to roll back (no user met "
            "it)",
            commands=cleanup,
        )
    target = facts.rollback_target()
    if target is None:
        return ReleasePlan(
            "none",
            f"{checked} failed the gate and serves {share}% of traffic, but no older revision "
            "is Ready to roll back to",
            commands=cleanup,
        )
    command = str(gcloud.set_traffic(facts.ref, {target: 100}))
    if not rollback:
        return ReleasePlan(
            "none",
            f"{checked} failed the gate and serves {share}% of traffic; --rollback-on-failure "
            "was not given, so nothing was changed",
            commands=(command, *cleanup),
        )
    return ReleasePlan(
        "rollback",
        f"{checked} failed the gate and serves {share}% of traffic: all of it goes back to "
        f"{target}, the newest older revision that is Ready",
        traffic=(TrafficRow(target, 100), *tags_kept(facts)),
        commands=cleanup,
    )


def promoted(facts: ServiceFacts, percent: int) -> tuple[TrafficRow, ...]:
    """The traffic with ``percent`` on the checked revision, the rest on the revisions that
    serve now in their proportions, and every tag kept (at 0%)."""
    checked = facts.revision.name
    others: dict[str, int] = defaultdict(int)
    for row in facts.traffic:
        if row.revision != checked and row.percent:
            others[row.revision] += row.percent
    rest = 100 - percent if others else 0
    rows = [TrafficRow(checked, 100 - rest)]
    if rest:
        total = sum(others.values())
        shares = {name: rest * part // total for name, part in others.items()}
        # What integer division left over goes to the largest share, so the total is 100.
        largest = max(others, key=lambda name: others[name])
        shares[largest] += rest - sum(shares.values())
        rows += [TrafficRow(name, share) for name, share in shares.items() if share]
    return (*rows, *tags_kept(facts))


def tags_kept(facts: ServiceFacts) -> tuple[TrafficRow, ...]:
    """Every tag of the traffic, at 0%: a traffic change keeps them."""
    return tuple(TrafficRow(row.revision, 0, tag=row.tag) for row in facts.traffic if row.tag)


def _promotion_command(facts: ServiceFacts, percent: int) -> str:
    """The promotion by hand: the checked revision named, and every share written out, so that
    what it sets is what --promote would have set."""
    return str(gcloud.set_traffic(facts.ref, gcloud.traffic_of(promoted(facts, percent))))
