"""Which sandbox a contract asks for: fault names checked against the profiles (and the service
they apply to), and the name the team's own service is deployed as."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudrun_acceptance.model.errors import ConfigError
from cloudrun_acceptance.sandbox.faults.profiles import FAULTS
from cloudrun_acceptance.sandbox.launch import check_faults, service_name

PLATFORM = sorted(name for name, fault in FAULTS.items() if fault.scope == "platform")


def test_known_faults_pass_and_an_unknown_one_lists_the_known():
    check_faults(("metrics_html", "cache_slow"), "--sandbox-fault", own_service=False)
    with pytest.raises(ConfigError) as caught:
        check_faults(("metrics_gone",), "--sandbox-fault (command line)", own_service=False)
    assert str(caught.value) == (
        "unknown sandbox fault 'metrics_gone' from --sandbox-fault (command line); known faults: "
        f"{', '.join(sorted(FAULTS))}."
    )


def test_the_platforms_faults_apply_to_any_service_the_reference_ones_say_what_they_need():
    check_faults(tuple(PLATFORM), "--sandbox-fault", own_service=True)
    with pytest.raises(ConfigError) as caught:
        check_faults(
            ("traffic_split", "metrics_html"), "--sandbox-fault (command line)", own_service=True
        )
    assert str(caught.value) == (
        "sandbox fault 'metrics_html' from --sandbox-fault (command line) changes the example's "
        "reference service, and this contract's sandbox section runs your own service; give one "
        f"of the platform's faults, which apply to any service: {', '.join(PLATFORM)}."
    )
    assert {
        "private",
        "traffic_split",
        "tagged_candidate",
        "not_ready",
        "api_403",
        "logs_lag",
    } <= set(PLATFORM)
    assert not {"metrics_html", "cache_slow", "env_drift", "errors_in_logs"} & set(PLATFORM)


@pytest.mark.parametrize(
    ("given", "folder", "name"),
    [
        ("shop", "anything", "shop"),
        ("", "My_Shop", "my-shop"),
        ("", "2048-game", "service-2048-game"),
        ("", "x" * 60, "x" * 49),
    ],
)
def test_the_service_is_named_by_the_contract_else_its_folder(tmp_path, given, folder, name):
    assert service_name(given, Path(tmp_path / folder)) == name
