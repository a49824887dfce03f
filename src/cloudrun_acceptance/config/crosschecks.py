"""Cross-checks between the options that choose a release flow: the candidate's tag, the
comparison's baseline tag, the rollout, the promotion and a canary phase run by another engine.
Each error names the option as written, where it came from, and the fix."""

from __future__ import annotations

from collections.abc import Mapping

from ..model.errors import ConfigError
from .options import OPTIONS_BY_DEST, OptionSpec
from .values import CONTRACT_STEPS, Raw


def as_written(spec: OptionSpec, raw: Raw) -> str:
    """The option as the user gave it: a flag alone, ``--rollout`` alone for the contract's
    steps, else ``--flag=value``."""
    if spec.kind == "flag" or (spec.kind == "steps" and raw.value == CONTRACT_STEPS):
        return spec.flag
    return f"{spec.flag}={raw.value}"


def check_release_options(raws: Mapping[str, Raw | None], values: Mapping[str, object]) -> None:
    """Raise ConfigError for release options that cannot go together."""
    baseline, tag = raws["baseline_tag"], raws["tag"]
    if baseline and tag and baseline.value == tag.value:
        raise ConfigError(
            f"{baseline.value!r} from {baseline.origin} is the candidate's own tag (from "
            f"{tag.origin}); give the stable revision a tag of its own, such as "
            "--baseline-tag=baseline."
        )
    if baseline and not tag:
        raise ConfigError(
            f"{baseline.value!r} from {baseline.origin} needs --tag: the comparison with the "
            "stable revision is for a tagged candidate (the candidate flow)."
        )
    rollout, promote = raws["rollout"], raws["promote"]
    if rollout and not tag:
        raise ConfigError(
            f"{as_written(OPTIONS_BY_DEST['rollout'], rollout)} from {rollout.origin} needs "
            "--tag: a rollout moves "
            "traffic in steps to a candidate deployed with --no-traffic --tag NAME, once it "
            "passed at 0%."
        )
    if rollout and promote and values.get("promote") is True:
        raise ConfigError(
            f"{as_written(OPTIONS_BY_DEST['rollout'], rollout)} from {rollout.origin} and "
            "--promote from "
            f"{promote.origin} were both given; a rollout ends at its last step itself. Drop "
            "--promote."
        )
    anyway = raws["rollout_anyway"]
    if anyway and values.get("rollout_anyway") is True and not rollout:
        raise ConfigError(
            f"--rollout-anyway from {anyway.origin} needs --rollout: it lets a rollout start on "
            "little traffic. Add --rollout, or drop --rollout-anyway."
        )
    canary = raws["canary_phase"]
    if canary and values.get("canary_phase") is True:
        movers = [raws[name] for name in ("rollout", "promote", "rollback_on_failure")]
        mover = next((raw for raw in movers if raw and raw.value.lower() != "false"), None)
        if mover is not None:
            raise ConfigError(
                f"--canary-phase and {mover.origin.split(' ')[0]} were both given; in a canary "
                "phase another engine (Cloud Deploy) moves the traffic, and the gate only "
                f"judges it. Drop {mover.origin.split(' ')[0]}."
            )
