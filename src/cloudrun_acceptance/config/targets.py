"""One service in several regions: ``--service`` as ``REGION/SERVICE``, repeated or
comma-separated (``--service=europe-west1/shop,us-central1/shop``), checked all or none.

A bare name keeps its meaning (the service in ``--region``). The rules here: every service has a
region, either every one from its own ``REGION/`` or all from ``--region``; no target twice; and
the options that name one revision or one engine's split take one target only. Each error names
the value as written, where it came from, and the fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NoReturn

from ..model.errors import ConfigError
from .crosschecks import as_written
from .options import OPTIONS_BY_DEST
from .values import Raw

# A Cloud Run region and service name: lower-case letters, digits and hyphens.
_NAME = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")

Pair = tuple[str | None, str]

# The options that take one target only, and why.
ONE_TARGET_ONLY = (
    ("service_url", "--service-url", "each region's service has its own URL, from the Admin API"),
    ("revision", "--revision", "a revision's name belongs to one region's service"),
    (
        "canary_phase",
        "--canary-phase",
        "Cloud Deploy runs a verify job per target, each with its own region",
    ),
)


def parse_services(raw: Raw) -> tuple[Pair, ...]:
    """``NAME`` or ``REGION/NAME``, comma-separated: (region or None, name) pairs."""
    items = [item.strip() for item in raw.value.split(",")]
    if not any(items):
        _bad(raw, "is empty", "give a service name, such as --service=my-service")
    pairs: list[Pair] = []
    for item in items:
        region, slash, name = item.rpartition("/")
        if not _NAME.fullmatch(name) or (slash and not _NAME.fullmatch(region)):
            _bad(
                raw,
                f"has {item!r}, which is neither a service name nor REGION/SERVICE",
                "give names of lower-case letters, digits and hyphens, such as "
                "--service=my-service or --service=europe-west1/my-service",
            )
        pairs.append((region or None, name))
    return tuple(pairs)


def place_targets(
    raws: Mapping[str, Raw | None], pairs: tuple[Pair, ...], region: str | None
) -> tuple[str | None, str | None, tuple[tuple[str, str], ...]]:
    """The first target's region and service, and the further (region, service) pairs."""
    if not pairs:
        return region, None, ()
    raw = raws["service"]
    assert raw is not None
    regional = [pair for pair in pairs if pair[0]]
    if regional and len(regional) < len(pairs):
        _bad(
            raw,
            "mixes services with and without a region",
            "give each one its region, such as --service=europe-west1/my-service,"
            "us-central1/my-service",
        )
    if not regional:
        if len(pairs) > 1:
            _bad(
                raw,
                "names several services in one region",
                "check one service in several regions, each as REGION/SERVICE, such as "
                "--service=europe-west1/my-service,us-central1/my-service",
            )
        return region, pairs[0][1], ()
    region_raw = raws["region"]
    if region_raw is not None and region is not None:
        raise ConfigError(
            f"--region={region_raw.value} from {region_raw.origin} and {raw.value!r} from "
            f"{raw.origin} both give a region; drop --region, or give the bare service name."
        )
    placed = [(str(where), name) for where, name in pairs]
    seen = set()
    for where, name in placed:
        if (where, name) in seen:
            _bad(raw, f"names {where}/{name} twice", "give each target once")
        seen.add((where, name))
    return placed[0][0], placed[0][1], tuple(placed[1:])


def check_one_target(
    raws: Mapping[str, Raw | None], values: Mapping[str, object], more: tuple[object, ...]
) -> None:
    """With several targets, the options that take one target only are usage errors."""
    if not more:
        return
    service = raws["service"]
    assert service is not None
    for dest, flag, why in ONE_TARGET_ONLY:
        raw = raws[dest]
        if raw is not None and values.get(dest) not in (None, False):
            shown = as_written(OPTIONS_BY_DEST[dest], raw)
            raise ConfigError(
                f"{shown} from {raw.origin} takes one target, and {service.value!r} from "
                f"{service.origin} names {len(more) + 1}: {why}. Check one target at a time "
                f"with {flag}, or drop {flag}."
            )


def _bad(raw: Raw, problem: str, fix: str) -> NoReturn:
    raise ConfigError(f"{raw.value!r} from {raw.origin} {problem}; {fix}.")
