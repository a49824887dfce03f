"""One service in several regions: --service as REGION/SERVICE, and the rules that go with it."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.config.settings import resolve_settings
from cloudrun_acceptance.model.errors import ConfigError
from cloudrun_acceptance.model.service import ServiceRef
from cloudrun_acceptance.plugin.targets import target_key, targets_from_settings
from tests.unit.config.test_settings import sources

TWO = ["europe-west1/shop", "us-central1/shop"]


def resolve(cli=None, env=None):
    return resolve_settings(sources(cli=cli, env=env))


@pytest.mark.parametrize(
    ("cli", "env"),
    [
        ({"project": "p", "service": TWO}, None),  # --service repeated
        ({"project": "p", "service": [",".join(TWO)]}, None),  # comma-separated
        (None, {"PROJECT_ID": "p", "SERVICE_NAME": ",".join(TWO)}),  # from the environment
    ],
)
def test_region_qualified_services_are_one_target_each(cli, env):
    settings = resolve(cli, env)
    assert settings.service_refs == (
        ServiceRef("p", "europe-west1", "shop"),
        ServiceRef("p", "us-central1", "shop"),
    )
    assert (settings.region, settings.service) == ("europe-west1", "shop")
    assert settings.target_requested


def test_a_bare_name_keeps_its_region_and_one_qualified_name_is_one_target():
    assert resolve({"project": "p", "region": "r", "service": ["shop"]}).service_refs == (
        ServiceRef("p", "r", "shop"),
    )
    alone = resolve({"project": "p", "service": ["asia-east1/shop"]})
    assert alone.service_refs == (ServiceRef("p", "asia-east1", "shop"),)
    assert alone.more_targets == ()


def test_the_targets_share_the_run_id_and_are_named_by_region_or_region_and_service():
    settings = resolve({"project": "p", "service": TWO})
    first, second = targets_from_settings(settings)
    assert (second.region, second.service, second.run_id) == ("us-central1", "shop", first.run_id)
    assert [target_key(t, [first, second]) for t in (first, second)] == [
        "europe-west1",
        "us-central1",
    ]
    other = resolve({"project": "p", "service": ["europe-west1/shop", "us-central1/cart"]})
    targets = targets_from_settings(other)
    assert [target_key(t, targets) for t in targets] == ["europe-west1-shop", "us-central1-cart"]


@pytest.mark.parametrize(
    ("cli", "message"),
    [
        (
            {"project": "p", "service": ["europe-west1/shop", "shop"]},
            "'europe-west1/shop,shop' from --service (command line) mixes services with and "
            "without a region; give each one its region, such as --service=europe-west1/"
            "my-service,us-central1/my-service.",
        ),
        (
            {"project": "p", "region": "r", "service": ["a", "b"]},
            "'a,b' from --service (command line) names several services in one region; check one "
            "service in several regions, each as REGION/SERVICE",
        ),
        (
            {"project": "p", "region": "r", "service": TWO},
            "--region=r from --region (command line) and 'europe-west1/shop,us-central1/shop' "
            "from --service (command line) both give a region; drop --region, or give the bare "
            "service name.",
        ),
        (
            {"project": "p", "service": ["europe-west1/shop", "europe-west1/shop"]},
            "names europe-west1/shop twice; give each target once.",
        ),
        (
            {"project": "p", "service": ["Europe/shop"]},
            "'Europe/shop' from --service (command line) has 'Europe/shop', which is neither a "
            "service name nor REGION/SERVICE",
        ),
        (
            {"service": TWO},
            "'europe-west1/shop,us-central1/shop' from --service (command line) needs --project "
            "too",
        ),
        (
            {"project": "p", "service": TWO, "revision": "shop-00002-abc"},
            "--revision=shop-00002-abc from --revision (command line) takes one target, and "
            "'europe-west1/shop,us-central1/shop' from --service (command line) names 2: a "
            "revision's name belongs to one region's service. Check one target at a time with "
            "--revision, or drop --revision.",
        ),
        (
            {"project": "p", "service": TWO, "canary_phase": True},
            "--canary-phase from --canary-phase (command line) takes one target",
        ),
        (
            {"project": "p", "service": TWO, "service_url": "https://x.example.com"},
            "each region's service has its own URL, from the Admin API",
        ),
    ],
)
def test_bad_targets_are_usage_errors_naming_the_value_its_origin_and_the_fix(cli, message):
    with pytest.raises(ConfigError) as caught:
        resolve(cli)
    assert message in str(caught.value)
