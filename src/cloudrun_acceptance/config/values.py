"""One raw setting into its typed value; each error names the value, its origin and the fix."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import httpx

from ..model.errors import ConfigError
from .options import OptionSpec
from .rollout import steps_problem

_HOST = re.compile(r"[A-Za-z0-9._-]+|[0-9a-fA-F:.]+")


@dataclass(frozen=True)
class Raw:
    """One raw value and a phrase naming its origin, for error messages and the report."""

    value: str
    origin: str
    relative_to: Path


# A Cloud Run traffic tag, as gcloud's --update-tags takes it (it becomes part of a host name).
TRAFFIC_TAG = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")


def parse_value(spec: OptionSpec, raw: Raw) -> object:
    """The typed value of one setting, or a ConfigError naming the value, its origin and the fix."""
    if spec.kind == "flag":
        return raw.value.lower() in {"1", "true", "yes", "on"}
    if spec.kind == "multi":
        return _parse_names(raw)
    if spec.kind == "seconds":
        return parse_seconds(raw, spec.flag)
    if spec.kind == "path":
        if not raw.value.strip():
            _bad(raw, "is empty", "give a path")
        return raw.relative_to / raw.value
    if spec.kind == "steps":
        return parse_steps(raw, spec.flag)
    if spec.kind == "choice":
        if raw.value not in spec.choices:
            _bad(
                raw,
                "is not one of " + ", ".join(spec.choices),
                f"use {spec.flag}={spec.choices[0]}",
            )
        return raw.value
    if spec.dest == "service_url":
        return parse_service_url(raw)
    if spec.dest.endswith("_endpoint"):
        return parse_endpoint(raw)
    if spec.dest == "baseline_tag" and not TRAFFIC_TAG.fullmatch(raw.value):
        _bad(
            raw,
            "is not a traffic tag (lower-case letters, digits and hyphens, starting with a letter)",
            f"give one such as {spec.flag}=baseline",
        )
    if not raw.value.strip():
        from_env = spec.env is not None and raw.origin.startswith(spec.env)
        _bad(raw, "is empty", f"give a value, or unset {spec.env}" if from_env else "give a value")
    if any(ch.isspace() for ch in raw.value) or "/" in raw.value:
        _bad(raw, "contains spaces or '/'", f"give the bare name, such as {spec.flag}=my-name")
    return raw.value


# ``--rollout`` alone: the contract's steps.
CONTRACT_STEPS = "contract"


def parse_steps(raw: Raw, flag: str) -> tuple[int, ...]:
    """Ascending shares from 1 to 100 (``5,25,50,100``); () for the contract's own."""
    if raw.value == CONTRACT_STEPS:
        return ()
    try:
        steps = tuple(int(part) for part in raw.value.split(","))
    except ValueError:
        _bad(raw, "is not a list of shares", f"give percentages, such as {flag}=5,25,50,100")
    problem = steps_problem(steps)
    if problem:
        _bad(
            raw,
            f"are not a rollout's steps: {problem}",
            f"give ascending shares, such as {flag}=5,25,50,100",
        )
    return steps


def _bad(raw: Raw, problem: str, fix: str) -> NoReturn:
    raise ConfigError(f"{raw.value!r} from {raw.origin} {problem}; {fix}.")


def parse_seconds(raw: Raw, flag: str) -> float:
    """A non-negative, finite number of seconds."""
    try:
        seconds = float(raw.value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        _bad(raw, "is not a number of seconds >= 0", f"give one, such as {flag}=60")
    return seconds


def parse_service_url(raw: Raw) -> str:
    """An absolute http(s) URL with a host; returned without a trailing slash."""
    example = "such as --service-url=https://my-service-abc-ew.a.run.app"
    try:
        url = httpx.URL(raw.value.strip())
    except httpx.InvalidURL as err:
        raise ConfigError(
            f"{raw.value!r} from {raw.origin} is not a URL ({err}); give one, {example}."
        ) from err
    if url.scheme not in {"http", "https"} or not url.host:
        _bad(raw, "needs a scheme (https://) and a host", f"give a full URL, {example}")
    if not _HOST.fullmatch(url.host):
        _bad(raw, f"has an invalid host {url.host!r}", f"give a full URL, {example}")
    if url.query or url.fragment:
        _bad(raw, "has a query or fragment", "give the service's base URL only")
    return str(url).rstrip("/")


def parse_endpoint(raw: Raw) -> str:
    """An API endpoint: ``host[:port]`` or an http(s) URL without a path."""
    value = raw.value.strip()
    probe = value if "://" in value else f"https://{value}"
    try:
        url = httpx.URL(probe)
    except httpx.InvalidURL:
        url = httpx.URL("invalid://")
    if url.scheme not in {"http", "https"} or not url.host or url.path not in {"", "/"}:
        _bad(
            raw,
            "is not an API endpoint",
            "give host[:port] or http(s)://host[:port], without a path",
        )
    return value.rstrip("/")


def _parse_names(raw: Raw) -> tuple[str, ...]:
    # The sandbox checks the names against its fault table when it starts.
    return tuple(name.strip() for name in raw.value.split(",") if name.strip())
