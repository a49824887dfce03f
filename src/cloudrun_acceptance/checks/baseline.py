"""Which revision the candidate is compared with, and how the gate reaches it. Pure.

The baseline is the revision that serves the contract's share of traffic (the stable one a
candidate deployed with --no-traffic leaves serving), or, when the traffic is split or the
candidate already serves, the revision a rollback would return to. It is reached at the service
URL when it serves all of it; otherwise only a tag of its own reaches it alone.
"""

from __future__ import annotations

from ..model import gcloud
from ..model.compare import BaselineChoice, Endpoint
from ..model.service import ServiceFacts
from ..model.verdict import Verdict, failed, passed

DEFAULT_TAG = "baseline"


def find_baseline(facts: ServiceFacts, share: int, tag: str | None) -> BaselineChoice:
    """The baseline of ``facts.revision`` (the candidate); ``tag``: --baseline-tag."""
    candidate = facts.revision.name
    serving = {row.revision for row in facts.traffic if row.percent and row.revision != candidate}
    holders = [name for name in serving if facts.share_of(name) == share]
    revision = holders[0] if len(holders) == 1 else facts.rollback_target()
    if revision is None:
        return BaselineChoice(
            problem=f"no stable revision to compare {candidate} with: none serves {share}% of "
            "traffic, and no older revision is Ready"
        )
    tags = {row.tag: row for row in facts.traffic if row.tag}
    if tag is not None:
        row = tags.get(tag)
        if row is None:
            return BaselineChoice(revision, add_tag=tag)
        if row.revision != revision:
            return BaselineChoice(
                revision,
                problem=f"the tag {tag!r} (--baseline-tag) points at {row.revision}, not at the "
                f"stable revision {revision}",
                command=str(gcloud.move_tag(facts.ref, tag, revision)),
            )
        return BaselineChoice(revision, Endpoint(revision, row.uri, f"tag {tag!r}"))
    if facts.share_of(revision) == 100 and facts.uri:
        return BaselineChoice(
            revision,
            Endpoint(revision, facts.uri, "the service URL, where it serves 100% of traffic"),
        )
    own = sorted(name for name, row in tags.items() if row.revision == revision and row.uri)
    if own:
        return BaselineChoice(revision, Endpoint(revision, tags[own[0]].uri, f"tag {own[0]!r}"))
    return BaselineChoice(
        revision,
        problem=f"the stable revision {revision} serves {facts.share_of(revision)}% of traffic "
        "and has no tag, so no URL reaches it alone",
        command=str(gcloud.move_tag(facts.ref, DEFAULT_TAG, revision)),
    )


def judge_baseline(
    *, choice: BaselineChoice, candidate: str, added: str = "", error: str = ""
) -> Verdict:
    """The candidate has a stable revision to be compared with, reachable alone."""
    if error:
        return failed(
            f"the stable revision {choice.revision} could not be reached: adding the tag "
            f"{choice.add_tag!r} failed ({error})",
            advice="the comparison needs a URL that only the stable revision answers; add a tag "
            "by hand and pass it as --baseline-tag, or grant run.services.update.",
        )
    endpoint = choice.endpoint
    if endpoint is None:
        summary = f"{candidate} cannot be compared with the stable revision: {choice.problem}"
        if not choice.revision:
            return failed(
                summary, advice="deploy the candidate beside a Ready revision that serves traffic."
            )
        if not choice.command:  # the tag was added, but its URL is not reported
            return failed(
                summary,
                advice="read the service's traffic, with its tags' URLs, and pass a tag of the "
                "stable revision that has one as --baseline-tag.",
            )
        return failed(
            summary,
            advice=f"run `{choice.command}`, then pass --baseline-tag with that tag; or pass "
            f"--baseline-tag {DEFAULT_TAG} and the gate adds the tag itself (tags only: no "
            "traffic share changes).",
        )
    evidence = [added] if added else []
    return passed(
        f"{candidate} is compared with {endpoint.revision} at {endpoint.url} ({endpoint.via})",
        evidence=evidence,
        figures={"baseline revision": endpoint.revision, "baseline URL": endpoint.url},
    )
