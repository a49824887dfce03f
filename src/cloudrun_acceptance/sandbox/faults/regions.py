"""One service in several Cloud Run regions: the region profiles, and which faults each
region's sandbox runs with.

A service deployed to several regions is several deployments, each with its own URL, Admin API
endpoint and Logging API endpoint (``europe-west1-run.googleapis.com``, ...), each answering for
its own region only. So the sandbox starts one independent sandbox per region, each deployed in
its region, rather than one sandbox that knows many: a client that asks the wrong region's API
gets the 404 it would get from Google's.

Which regions start is a property of the run's faults, not of one sandbox's behaviour: the
profiles' ``apply`` is the identity (busy_two_regions' sets the project's read quota, which the
regions share), and ``faults_for_region`` turns the run's faults into each region's. Light to
import, like the other profiles: what starts the sandboxes, one per region, is
``launch.start_regions``, which imports these rules (never the reverse).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ...model.errors import ConfigError
from .fault import Fault

REGIONS = ("europe-west1", "us-central1")
TWO_REGIONS = "two_regions"
REGION_FAILS = "region_fails"
REGION_STEP_ERRORS = "region_step_errors"
BUSY_TWO_REGIONS = "busy_two_regions"
REGION_PROFILES = (TWO_REGIONS, REGION_FAILS, REGION_STEP_ERRORS, BUSY_TWO_REGIONS)
# busy_two_regions: the project's read quota of Cloud Logging (entries:list calls a minute).
LOGGING_READS_PER_MINUTE = 60
# region_fails: the region whose revision is broken, and the profile that breaks it there.
FAILING_REGION = "us-central1"
FAILING_FAULT = "cache_slow"
# region_step_errors: every region with users and a tagged candidate, the failing one's meeting
# errors from a 25% share on.
EVERY_REGION = {REGION_STEP_ERRORS: ("rollout_candidate",), BUSY_TWO_REGIONS: ("busy",)}
FAILING_ONLY = {REGION_FAILS: FAILING_FAULT, REGION_STEP_ERRORS: "step_errors"}

REGION_FAULTS = (
    Fault(
        TWO_REGIONS,
        f"the service is deployed in two regions, {' and '.join(REGIONS)}, each with its own "
        "URL, Admin API and Logging API; both revisions are good",
        lambda b: b,
        scope="platform",
    ),
    Fault(
        REGION_FAILS,
        f"deployed as {TWO_REGIONS}; in {FAILING_REGION} the revision's cache hit takes 0.5 s "
        f"({FAILING_FAULT}), so that region fails its candidate",
        lambda b: b,
    ),
    Fault(
        REGION_STEP_ERRORS,
        f"deployed as {TWO_REGIONS}, each region as rollout_candidate (users, a tagged "
        f"candidate); in {FAILING_REGION} the candidate fails 3% of its users' requests from a "
        "25% share on (step_errors), so a rollout of both fails there at 25%",
        lambda b: b,
    ),
    Fault(
        BUSY_TWO_REGIONS,
        f"deployed as {TWO_REGIONS}, each region as busy (1000 users' requests/s simulated, a "
        f"tagged candidate); the project's Cloud Logging read quota, "
        f"{LOGGING_READS_PER_MINUTE} entries:list calls a minute, is enforced across both "
        "regions' Logging APIs, as Cloud Logging enforces it per project",
        lambda b: replace(b, logging_reads_per_minute=LOGGING_READS_PER_MINUTE),
    ),
)


def regions_for(faults: Iterable[str]) -> tuple[str, ...]:
    """The regions the service is deployed in: REGIONS with a region profile, else none (one
    sandbox, in the deployment's default region)."""
    return REGIONS if any(name in REGION_PROFILES for name in faults) else ()


def faults_for_region(faults: Iterable[str], region: str) -> tuple[str, ...]:
    """The faults one region's sandbox runs with: the run's, without the region profiles;
    ``region_step_errors`` adds rollout_candidate in every region; ``region_fails`` and
    ``region_step_errors`` add their failing profile in FAILING_REGION alone."""
    given = tuple(faults)
    own = tuple(name for name in given if name not in REGION_PROFILES and ":" not in name)
    # REGION:FAULT applies FAULT in that region alone.
    own += tuple(name.partition(":")[2] for name in given if name.startswith(f"{region}:"))
    for profile in given:
        own += tuple(name for name in EVERY_REGION.get(profile, ()) if name not in own)
        failing = FAILING_ONLY.get(profile)
        if failing and region == FAILING_REGION and failing not in own:
            own = (*own, failing)
    return own


def unprefixed(faults: Iterable[str]) -> tuple[str, ...]:
    """The faults' names without their ``REGION:`` (checked against the fault table)."""
    return tuple(name.partition(":")[2] if ":" in name else name for name in faults)


def check_regions(faults: Iterable[str], origin: str) -> None:
    """At most one region profile, none that a profile beside it contradicts, and a
    ``REGION:FAULT`` only beside one, for one of its regions (raises ConfigError naming the
    faults, their origin and the fix)."""
    given = tuple(faults)
    profiles = list(dict.fromkeys(name for name in given if name in REGION_PROFILES))
    for name in given:
        where, colon, _ = name.partition(":")
        if colon and (not profiles or where not in REGIONS):
            raise ConfigError(
                f"sandbox fault {name!r} from {origin} names a region; REGION:FAULT applies "
                f"FAULT in one region of {TWO_REGIONS} (or another region profile), one of "
                f"{', '.join(REGIONS)}: give {TWO_REGIONS},{REGIONS[-1]}:FAULT."
            )
    if len(profiles) > 1:
        raise ConfigError(
            f"sandbox faults {profiles[0]!r} and {profiles[1]!r} from {origin} each deploy the "
            f"service in {' and '.join(REGIONS)}; give one of them."
        )
    # cache_slow slows every region's cache hit: region_fails's one failing region would be two.
    if REGION_FAILS in profiles and FAILING_FAULT in given:
        raise ConfigError(
            f"sandbox fault {FAILING_FAULT!r} from {origin} slows the cache in every region, and "
            f"{REGION_FAILS!r} slows it in {FAILING_REGION} alone; give {REGION_FAILS} alone for "
            f"one failing region, or {TWO_REGIONS} with {FAILING_FAULT} for both."
        )
