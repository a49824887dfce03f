"""Revision checks: the deployed revision is ready, serves its traffic, and carries what was meant.

Values of secrets are never read. Values of env vars are shown only for keys of env.yaml (which
is in the repository anyway); other env vars are named, never shown, since a plain env var may
hold a credential by mistake.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..model import gcloud
from ..model.contract import RESOURCES_BY_KEY, RevisionRules, SecretRef
from ..model.errors import AdminApiError
from ..model.gcloud import traffic_of
from ..model.service import SecretMount, ServiceFacts
from ..model.verdict import Verdict, failed, passed
from .api import api_failure
from .quantity import same_quantity
from .release import promoted


def judge_admin_api(*, lookup: ServiceFacts | AdminApiError, checked_url: str | None) -> Verdict:
    """The Admin API describes the service, or the failure says what to fix."""
    if isinstance(lookup, AdminApiError):
        return api_failure(lookup)
    return judge_service(lookup, checked_url)


def judge_service(facts: ServiceFacts, checked_url: str | None) -> Verdict:
    """The Admin API describes the service; says which revision is checked and when it was made."""
    revision = facts.revision
    created = revision.created.isoformat() if revision.created else "unknown"
    how = "pinned with --revision" if facts.pinned else "the latest ready revision"
    if facts.tag:
        how = f"traffic tag {facts.tag!r}, at {facts.tag_url}"
    notes = []
    if checked_url and checked_url not in {facts.uri, *facts.urls, facts.tag_url}:
        notes.append(
            f"the checked URL {checked_url} is not one of the service's URLs "
            f"({', '.join(facts.urls) or facts.uri}): "
            "a custom domain or a load balancer in front of it?"
        )
    return passed(
        f"service {facts.ref.service} at {facts.uri}: checking {revision.name} ({how}), "
        f"created {created}",
        figures={"revision": revision.name, "created": created, "image": revision.image},
        evidence=notes,
    )


def judge_settled(*, facts: ServiceFacts, timeout: float) -> Verdict:
    """The deploy has settled before the checks judge it: the service reconciled its latest
    generation and the revision's Ready condition is decided (waited for up to ``timeout``)."""
    figures = {"settled after (s)": f"{facts.waited:.1f}"}
    state = (
        f"generation {facts.generation}, observed {facts.observed_generation}"
        f"{', reconciling' if facts.reconciling else ''}"
    )
    if facts.settled:
        return passed(
            f"the service has reconciled ({state}) and {facts.revision.name} is "
            f"{'Ready' if facts.revision.ready else 'not Ready'}; waited {facts.waited:.1f} s",
            figures=figures,
        )
    undecided = (
        "" if facts.revision.ready is not None else f"; {facts.revision.name} is not Ready yet"
    )
    return failed(
        f"the service is still reconciling after {facts.waited:.1f} s ({state}{undecided})",
        advice="a deploy or traffic change is still rolling out, or is stuck: read its "
        f"conditions with `{gcloud.describe_service(facts.ref)}`; run the gate again once it "
        f"settles, or raise --ready-timeout (now {timeout:g} s) for slow rollouts.",
        figures=figures,
    )


def judge_latest_ready(*, facts: ServiceFacts) -> Verdict:
    """The latest created revision is the latest ready one: the last deploy completed."""
    if facts.latest_created in {"", facts.latest_ready}:
        return passed(f"the latest created revision {facts.latest_created} is the latest ready one")
    newest = facts.newest
    evidence = [f"latest ready revision: {facts.latest_ready}"]
    if newest is not None:
        evidence.append(
            f"Ready condition of {newest.name}: {newest.ready_reason}: "
            f"{newest.ready_message or '(no message)'}"
        )
    return failed(
        f"the latest created revision {facts.latest_created} is not ready; {facts.latest_ready} "
        "still serves",
        evidence=evidence,
        advice="the last deploy failed: read "
        f"`{gcloud.describe_revision(facts.ref, facts.latest_created)}` and the revision's "
        "logs, fix, and deploy again.",
    )


def judge_ready(*, facts: ServiceFacts) -> Verdict:
    """The checked revision's Ready condition is true."""
    revision = facts.revision
    if revision.ready:
        return passed(f"revision {revision.name} is Ready")
    state = "unknown (no Ready condition)" if revision.ready is None else revision.ready_reason
    return failed(
        f"revision {revision.name} is not Ready: {state}",
        evidence=[revision.ready_message or "(no message)"],
        advice=f"read `{gcloud.describe_revision(facts.ref, revision.name)}` and the "
        "revision's logs.",
    )


def judge_traffic(*, facts: ServiceFacts, rules: RevisionRules, canary: bool = False) -> Verdict:
    """The checked revision serves the share of traffic the contract expects; a candidate
    checked through its tag carries the tag, and its share before promotion is only reported;
    so is the share of a canary phase (``canary``), which another engine set."""
    revision = facts.revision.name
    share = facts.share_of(revision)
    table = [str(row) for row in facts.traffic] or ["(no traffic status)"]
    figures = {"traffic (%)": str(share)}
    if canary:
        return passed(
            f"{revision} serves {share}% of traffic in this canary phase (set by the engine that "
            "runs the phases; reported, not judged)",
            figures=figures,
            evidence=["traffic:", *("  " + line for line in table)],
        )
    if facts.tag:
        return passed(
            f"{revision} carries the traffic tag {facts.tag!r} ({facts.tag_url}) and serves "
            f"{share}% of traffic before promotion (reported, not judged; the contract's share "
            f"is {rules.traffic_percent}%)",
            figures=figures,
            evidence=["traffic:", *("  " + line for line in table)],
        )
    if share == rules.traffic_percent:
        return passed(f"{revision} serves {share}% of traffic", figures=figures)
    return failed(
        f"{revision} serves {share}% of traffic, the contract expects {rules.traffic_percent}%",
        evidence=["traffic:", *("  " + line for line in table)],
        advice="a split or a pin to an older revision is left from a canary or a rollback: "
        f"`{gcloud.set_traffic(facts.ref, traffic_of(promoted(facts, rules.traffic_percent)))}` "
        "gives the revision its share (or change revision.traffic_percent in the contract).",
        figures=figures,
    )


def _env_table(facts: ServiceFacts, expected: Mapping[str, str]) -> list[str]:
    rows = ["env.yaml vs revision:"]
    for key, want in expected.items():
        have = facts.revision.env.get(key)
        mark = "ok" if have == want else "DIFFERS"
        shown = "(missing)" if have is None else repr(have)
        if key in facts.revision.secrets:
            shown = f"(secret {facts.revision.secrets[key]})"
        rows.append(f"  {key}: {want!r} vs {shown}  {mark}")
    return rows


def judge_env_var(
    *, facts: ServiceFacts, key: str, expected: Mapping[str, str], env_file: Path
) -> Verdict:
    """One env var of env.yaml is on the revision with exactly the same string."""
    revision = facts.revision
    want = expected[key]
    have = revision.env.get(key)
    if have == want:
        return passed(f"{key}={want!r} on {revision.name}")
    fix = (
        f"deploy with --env-vars-file {env_file.name}, or set it on the service (a new "
        f"revision): `{gcloud.update_env(facts.ref, {key: want})}`"
    )
    if key in revision.secrets:
        return failed(
            f"{key} comes from secret {revision.secrets[key]} on {revision.name}; {env_file.name} "
            f"expects the plain value {want!r}",
            evidence=_env_table(facts, expected),
            advice=f"{fix}.",
        )
    if have is None:
        return failed(
            f"{key} is not set on {revision.name}; {env_file.name} says {want!r}",
            evidence=_env_table(facts, expected),
            advice=f"{fix}.",
        )
    return failed(
        f"{key} differs on {revision.name}: expected {want!r} ({env_file.name}), "
        f"revision has {have!r}",
        evidence=_env_table(facts, expected),
        advice=f"{fix}; values are compared as exact strings ('1' is not 'true').",
    )


def judge_unexpected_env(
    *, facts: ServiceFacts, expected: Mapping[str, str], rules: RevisionRules
) -> Verdict:
    """Env vars on the revision that env.yaml does not name: reported; fail if the contract says."""
    secret_envs = {ref.env for ref in rules.secrets}
    extra = sorted(set(facts.revision.env) - set(expected) - secret_envs)
    extra_secrets = sorted(set(facts.revision.secrets) - secret_envs - set(expected))
    names = extra + [f"{name} (secret)" for name in extra_secrets]
    names_only = extra + extra_secrets
    figures = {"unexpected env vars": str(len(names))}
    if not names:
        return passed("no env var outside env.yaml and the contract's secrets", figures=figures)
    listing = [f"not in env.yaml: {', '.join(names)} (values not shown)"]
    if rules.unexpected_env == "fail":
        return failed(
            f"{len(names)} env var(s) on {facts.revision.name} are not in env.yaml",
            evidence=listing,
            advice="add them to env.yaml, or remove them from the service (a new revision): "
            f"`{gcloud.remove_env(facts.ref, names_only)}`.",
            figures=figures,
        )
    return passed(
        f"{len(names)} env var(s) outside env.yaml (reported only)",
        figures=figures,
        evidence=listing,
    )


def judge_secret(*, facts: ServiceFacts, ref: SecretRef) -> Verdict:
    """One env var is mounted from the named secret at the pinned version; values never read."""
    revision = facts.revision
    mount = revision.secrets.get(ref.env)
    want = f"{ref.secret}:{ref.version}"
    fix = f"deploy with --update-secrets {ref.env}={want}"
    if mount is None:
        where = "a plain env var" if ref.env in revision.env else "absent"
        return failed(
            f"{ref.env} is {where} on {revision.name}, expected secret {want}",
            evidence=[f"secrets on the revision: {_mounts(revision.secrets) or 'none'}"],
            advice=f"{fix}.",
        )
    if mount.secret != ref.secret:
        return failed(f"{ref.env} comes from secret {mount}, expected {want}", advice=f"{fix}.")
    if mount.version != ref.version:
        latest = (
            "; 'latest' changes under a running revision whenever a new version is added, so pin it"
            if mount.version == "latest"
            else ""
        )
        return failed(
            f"{ref.env} is mounted at {mount}, the contract pins {want}{latest}", advice=f"{fix}."
        )
    return passed(f"{ref.env} is mounted from {mount}")


def _mounts(secrets: Mapping[str, SecretMount]) -> str:
    return ", ".join(f"{env}={mount}" for env, mount in secrets.items())


def judge_resource(*, facts: ServiceFacts, key: str, expected: str) -> Verdict:
    """One resource setting of the revision equals the contract (quantities compare by value)."""
    actual = facts.revision.resources.get(key)
    if actual is not None and same_quantity(expected, actual):
        return passed(f"{key} = {actual}", figures={key: actual})
    flag = RESOURCES_BY_KEY[key].flag if key in RESOURCES_BY_KEY else key
    return failed(
        f"{key} is {actual if actual is not None else 'not set'} on {facts.revision.name}, the "
        f"contract says {expected}",
        advice=f"deploy with {flag}={expected} (or change revision.resources in the contract).",
        figures={key: actual or ""},
    )
