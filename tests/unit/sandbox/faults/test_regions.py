"""One service in two regions: which regions a run's faults deploy in, the faults each region's
sandbox runs with, and the combinations refused before anything starts."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.model.errors import ConfigError
from cloudrun_acceptance.sandbox import FAULTS, Behaviour, behaviour_for
from cloudrun_acceptance.sandbox.faults.regions import (
    REGIONS,
    check_regions,
    faults_for_region,
    regions_for,
)
from cloudrun_acceptance.sandbox.platform.deployment import REGION

EUROPE, US = "europe-west1", "us-central1"


def test_the_regions_are_the_default_one_and_us_central1():
    assert REGIONS == (EUROPE, US)
    assert REGIONS[0] == REGION


@pytest.mark.parametrize(
    ("faults", "regions"),
    [
        ((), ()),
        (("cache_slow", "private"), ()),
        (("two_regions",), REGIONS),
        (("region_fails",), REGIONS),
        (("traffic_split", "two_regions"), REGIONS),
    ],
)
def test_only_a_region_profile_deploys_in_several_regions(faults, regions):
    assert regions_for(faults) == regions


@pytest.mark.parametrize(
    ("faults", "region", "runs"),
    [
        (("two_regions",), EUROPE, ()),
        (("two_regions",), US, ()),
        (("two_regions", "private"), US, ("private",)),
        (("region_fails",), EUROPE, ()),
        (("region_fails",), US, ("cache_slow",)),
        (("traffic_split", "region_fails"), EUROPE, ("traffic_split",)),
        (("traffic_split", "region_fails"), US, ("traffic_split", "cache_slow")),
        (("metrics_html",), US, ("metrics_html",)),
        (("region_step_errors",), EUROPE, ("rollout_candidate",)),
        (("region_step_errors",), US, ("rollout_candidate", "step_errors")),
        (("two_regions", f"{US}:update_403"), EUROPE, ()),
        (("two_regions", f"{US}:update_403"), US, ("update_403",)),
    ],
)
def test_each_region_runs_the_faults_without_the_profile_and_region_fails_slows_one(
    faults, region, runs
):
    assert faults_for_region(faults, region) == runs


def test_the_region_profiles_change_no_sandbox_behaviour():
    assert behaviour_for(["two_regions"]) == Behaviour()
    assert behaviour_for(["region_fails"]) == Behaviour()
    assert behaviour_for(faults_for_region(["region_fails"], US)).cache_delay_seconds == 0.5
    assert (FAULTS["two_regions"].scope, FAULTS["region_fails"].scope) == ("platform", "reference")
    assert "europe-west1 and us-central1" in FAULTS["two_regions"].summary
    assert "(cache_slow)" in FAULTS["region_fails"].summary


def test_one_region_profile_passes_and_a_repeated_one_is_one():
    check_regions(("two_regions", "private", "traffic_split"), "--sandbox-fault")
    check_regions(("region_fails", "region_fails"), "--sandbox-fault")


def test_two_region_profiles_are_refused_with_their_origin():
    with pytest.raises(ConfigError) as caught:
        check_regions(("two_regions", "region_fails"), "--sandbox-fault (command line)")
    assert str(caught.value) == (
        "sandbox faults 'two_regions' and 'region_fails' from --sandbox-fault (command line) "
        "each deploy the service in europe-west1 and us-central1; give one of them."
    )


def test_region_fails_with_cache_slow_everywhere_is_refused_with_the_fix():
    with pytest.raises(ConfigError) as caught:
        check_regions(("cache_slow", "region_fails"), "--fault")
    assert str(caught.value) == (
        "sandbox fault 'cache_slow' from --fault slows the cache in every region, and "
        "'region_fails' slows it in us-central1 alone; give region_fails alone for one failing "
        "region, or two_regions with cache_slow for both."
    )
    check_regions(("cache_slow", "two_regions"), "--fault")


def test_the_regions_rule_is_light_to_import_as_the_profiles_are():
    from tests.unit.test_public_api import loaded_heavy_modules

    assert loaded_heavy_modules("import cloudrun_acceptance.sandbox.faults.regions") == "[]"


@pytest.mark.parametrize(
    "faults",
    [(f"{US}:update_403",), ("two_regions", "asia-east1:update_403")],
    ids=["no region profile", "not one of its regions"],
)
def test_a_fault_for_one_region_needs_a_region_profile_and_one_of_its_regions(faults):
    with pytest.raises(ConfigError) as caught:
        check_regions(faults, "--sandbox-fault (command line)")
    assert str(caught.value).endswith(
        "from --sandbox-fault (command line) names a region; REGION:FAULT applies FAULT in one "
        "region of two_regions (or another region profile), one of europe-west1, us-central1: "
        "give two_regions,us-central1:FAULT."
    )
