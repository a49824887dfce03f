"""rollout: the contract's steps and judge, and --rollout on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudrun_acceptance.config.contract import load_contract
from cloudrun_acceptance.config.settings import resolve_settings
from cloudrun_acceptance.model.errors import ConfigError
from cloudrun_acceptance.model.rollout import RolloutRules
from cloudrun_acceptance.model.version import CONTRACT_VERSION
from tests.paths import SHIPPED_CONTRACT
from tests.unit.config.test_settings import sources

SERVICE = {"project": "p", "region": "r", "service": "s", "tag": "candidate"}


def load(tmp_path: Path, rollout: str):
    path = tmp_path / "contract.yaml"
    path.write_text(f"version: {CONTRACT_VERSION}\nhealth:\n  path: /healthz\n{rollout}")
    return load_contract(path)


def test_without_a_section_the_defaults_hold(tmp_path):
    assert load(tmp_path, "").rollout == RolloutRules()
    assert RolloutRules().steps == (5, 25, 50, 100)


def test_the_shipped_contract_bakes_five_minutes_a_step():
    rules = load_contract(SHIPPED_CONTRACT).rollout
    assert (rules.steps, rules.bake_seconds, rules.min_requests, rules.on_too_few) == (
        (5, 25, 50, 100),
        300.0,
        100,
        "hold",
    )


def test_every_key_is_read(tmp_path):
    rules = load(
        tmp_path,
        "rollout:\n  steps: [10, 100]\n  bake_seconds: 60\n  min_requests: 20\n"
        "  on_too_few: rollback\n  max_holds: 0\n  tolerance: 0.2\n  confidence: 0.99\n"
        "  max_requests: 5000\n",
    ).rollout
    assert rules == RolloutRules((10, 100), 60.0, 20, "rollback", 0, 0.2, 0.99, 5000)


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("steps: [50, 25]", "rollout.steps: [50, 25] is not ascending"),
        ("steps: [5, 120]", "rollout.steps: 120 is not a share from 1 to 100"),
        ("steps: []", "rollout.steps: is an empty list"),
        ("on_too_few: wait", "rollout.on_too_few: 'wait' is not one of hold, rollback"),
        ("confidence: 1.5", "rollout.confidence: 1.5 is not below 1"),
        ("bake: 10", "rollout: unknown key 'bake'"),
    ],
)
def test_a_bad_section_is_a_usage_error_naming_the_key(tmp_path, section, message):
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, f"rollout:\n  {section}\n")
    assert message in str(caught.value)


def test_the_flag_takes_steps_or_the_contracts():
    assert resolve_settings(sources(cli={**SERVICE, "rollout": "5,50,100"})).rollout == (5, 50, 100)
    assert resolve_settings(sources(cli={**SERVICE, "rollout": "contract"})).rollout == ()
    assert resolve_settings(sources(cli=SERVICE)).rollout is None


@pytest.mark.parametrize(
    ("cli", "message"),
    [
        (
            {**SERVICE, "rollout": "5,x"},
            "'5,x' from --rollout (command line) is not a list of shares; give percentages, such "
            "as --rollout=5,25,50,100.",
        ),
        (
            {**SERVICE, "rollout": "50,5"},
            "'50,5' from --rollout (command line) are not a rollout's steps: [50, 5] is not "
            "ascending; give ascending shares, such as --rollout=5,25,50,100.",
        ),
        (
            {"project": "p", "region": "r", "service": "s", "rollout": "5,100"},
            "--rollout=5,100 from --rollout (command line) needs --tag: a rollout moves traffic "
            "in steps to a candidate deployed with --no-traffic --tag NAME, once it passed at 0%.",
        ),
        (
            {**SERVICE, "rollout": "5,100", "promote": True},
            "--rollout=5,100 from --rollout (command line) and --promote from --promote (command "
            "line) were both given; a rollout ends at its last step itself. Drop --promote.",
        ),
        (
            {"service_url": "https://svc.example.com", "rollout": "5,100"},
            "--rollout=5,100 from --rollout (command line) needs --project, --region and "
            "--service (or PROJECT_ID, REGION, SERVICE_NAME): there is no service to change with "
            "--service-url alone.",
        ),
    ],
)
def test_a_bad_flag_is_a_usage_error_with_the_fix(cli, message):
    with pytest.raises(ConfigError) as caught:
        resolve_settings(sources(cli=cli))
    assert str(caught.value) == message


@pytest.mark.parametrize("mover", ["rollout", "promote", "rollback_on_failure"])
def test_a_canary_phase_judges_and_never_moves_traffic(mover):
    cli = {**SERVICE, "canary_phase": True, mover: "5,100" if mover == "rollout" else True}
    flag = "--" + mover.replace("_", "-")
    with pytest.raises(ConfigError) as caught:
        resolve_settings(sources(cli=cli))
    assert str(caught.value) == (
        f"--canary-phase and {flag} were both given; in a canary phase another engine (Cloud "
        f"Deploy) moves the traffic, and the gate only judges it. Drop {flag}."
    )


def test_a_canary_phase_needs_the_service():
    with pytest.raises(ConfigError) as caught:
        resolve_settings(
            sources(cli={"service_url": "https://s.example.com", "canary_phase": True})
        )
    assert str(caught.value).startswith("--canary-phase from --canary-phase (command line) needs ")
