"""Pre-flight judgements of the source tree's other files: the upload set, the requirements and
env.yaml. Each failure names the file, the line and the fix."""

from __future__ import annotations

from collections.abc import Mapping

from packaging.requirements import Requirement as Wanted
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from ..model.contract import MetricsRules, PreflightRules
from ..model.envfile import EnvEntry, env_differences
from ..model.exchange import byte_size
from ..model.preflight import Rule, SourceTree
from ..model.verdict import Verdict, failed, passed

LISTED = 5


def judge_upload(*, tree: SourceTree, rules: PreflightRules) -> Verdict:
    """gcloud would upload the tree, and every path the image needs is in the upload set; the
    report gets its size and largest files, and what gcloud skips."""
    upload = tree.upload
    largest = [f"{path} ({byte_size(size)})" for path, size in upload.largest()]
    figures = {
        "files uploaded": str(len(upload.files)),
        "bytes uploaded": f"{upload.size}",
        "largest files": ", ".join(largest),
    }
    skipped = [*upload.notes]
    skipped += [
        f"{path} is a folder symlink (to {target}): gcloud run deploy --source uploads it as an "
        "empty folder, without its files"
        for path, target in upload.links.items()
    ]
    refusal = upload.refusal
    if refusal is not None:
        return failed(
            f"gcloud run deploy --source would refuse this tree before uploading anything: "
            f"{refusal.message}",
            evidence=([f"at {refusal.rule}"] if refusal.rule else []) + skipped,
            advice=f"{refusal.fix}.",
            figures=figures,
        )
    misses: list[str] = []
    for path in rules.required_paths:
        kept, dropped = upload.under(path)
        if kept:
            continue
        link = upload.link_at(path)
        if link is not None and not dropped:
            misses.append(
                f"{path}: {link[0]} is a folder symlink (to {link[1]}), which gcloud run deploy "
                "--source does not follow: none of its files is uploaded"
            )
            continue
        if not dropped:
            misses.append(f"{path}: not in the source tree")
            continue
        by_rule: dict[Rule, list[str]] = {}
        for name in dropped:
            by_rule.setdefault(upload.excluded[name], []).append(name)
        for rule, names in by_rule.items():
            shown = ", ".join(names[:LISTED]) + (
                f" and {len(names) - LISTED} more" if len(names) > LISTED else ""
            )
            misses.append(f"{path}: {len(names)} file(s) left out ({shown}) by {rule}")
    summary_size = f"{len(upload.files)} files, {byte_size(upload.size)}"
    if misses:
        return failed(
            f"the upload set of gcloud run deploy --source lacks what the image needs "
            f"({summary_size}; rules: {upload.rules_from})",
            evidence=misses + skipped,
            advice="change the rule named above so the path is uploaded (for a folder symlink: "
            "a real folder): a file left out of the upload is missing from the image, and the "
            "build or the container fails (for a Python app: ModuleNotFoundError).",
            figures=figures,
        )
    return passed(
        f"the upload set holds {', '.join(rules.required_paths)}: {summary_size} (rules: "
        f"{upload.rules_from})",
        evidence=["largest files:", *(f"  {line}" for line in largest), *skipped],
        figures=figures,
    )


def judge_requirement(*, tree: SourceTree, wanted: str) -> Verdict:
    """The service's requirements list ``wanted`` (pinned to a version it allows, when the
    contract gives a specifier)."""
    requirement = Wanted(wanted)
    name = canonicalize_name(requirement.name)
    found = tree.requirements
    if not found.found:
        return failed(
            f"there is no requirements.txt (or pyproject.toml) at {tree.root}",
            advice=f"list the service's dependencies, {wanted} among them.",
        )
    unparsable = [
        f"{found.file} line {n}: {text} (not a requirement)" for n, text in found.unparsable
    ]
    entry = next((e for e in found.entries if e.name == name), None)
    if entry is None:
        return failed(
            f"{found.file} does not list {requirement.name}",
            evidence=unparsable,
            advice=f"add it ({wanted}): the service imports it, and the image would not have it.",
        )
    where = f"{found.file} line {entry.line}"
    if requirement.specifier:
        listed = SpecifierSet(entry.specifier)
        pins = [spec for spec in listed if spec.operator in {"==", "==="}]
        if not pins:
            return failed(
                f"{where} lists `{entry.text}`, not a pinned version; the contract asks for "
                f"{wanted}",
                advice=f"pin it: {requirement.name}==VERSION, with a version "
                f"{requirement.specifier} allows.",
            )
        version = pins[0].version
        if not requirement.specifier.contains(version, prereleases=True):
            return failed(
                f"{where} pins {requirement.name} to {version}; the contract asks for {wanted}",
                advice=f"pin a version that {requirement.specifier} allows, or change "
                "preflight.requirements in the contract.",
            )
    return passed(f"{where} lists `{entry.text}`")


def judge_env_file(
    *,
    tree: SourceTree,
    metrics: MetricsRules | None,
    gate_env: Mapping[str, str] | None,
    gate_env_problem: str = "",
) -> Verdict:
    """env.yaml holds strings only (gcloud refuses others), and the metrics switch is on; the
    gate's own --env-file, when it is another file, can be read too."""
    env = tree.env
    if not env.found:
        return failed(
            f"there is no {env.name} at {tree.root}",
            advice=f"gcloud run deploy --env-vars-file {env.name} takes it: add it, with the "
            "variables the revision needs, quoted.",
        )
    if env.error:
        return failed(f"{env.name} is {env.error}", advice='write one NAME: "value" per line.')
    findings = [f"{env.name} {problem}" for problem in env.problems()]
    if gate_env_problem:
        findings.append(f"the gate's {gate_env_problem}")
    if metrics is not None and metrics.enable_env:
        switch = env.get(metrics.enable_env)
        if switch is None:
            findings.append(
                f"{env.name} does not set {metrics.enable_env}: the metrics stay off; add "
                f'{metrics.enable_env}: "{metrics.enable_value}"'
            )
        elif switch.value != metrics.enable_value:
            findings.append(
                f"{env.name} line {switch.line}: {metrics.enable_env} is {switch.value!r}; the "
                f"service switches its metrics on only for {metrics.enable_value!r} "
                "(metrics.enable_value in the contract)"
            )
    notes = _differences(env.entries, gate_env)
    if findings:
        return failed(
            f"{env.name} is not ready for gcloud run deploy --env-vars-file: "
            f"{len(findings)} finding(s)",
            evidence=findings + notes,
            advice="fix the lines named above; gcloud takes strings only, and the gate compares "
            "the deployed revision's values as exact strings.",
        )
    return passed(f"{env.name} holds {len(env.entries)} string variable(s)", evidence=notes)


def _differences(entries: tuple[EnvEntry, ...], gate_env: Mapping[str, str] | None) -> list[str]:
    if gate_env is None:
        return []
    differ = env_differences({entry.key: entry.value for entry in entries}, gate_env)
    return (
        [f"differs from the gate's --env-file (reported, not failed): {differ}"] if differ else []
    )
