"""Settings: one resolution, with the documented precedence and errors that name the source."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudrun_acceptance.config.options import OPTIONS
from cloudrun_acceptance.config.settings import Sources, resolve_settings
from cloudrun_acceptance.model.errors import ConfigError


def sources(cli=None, env=None, ini=None) -> Sources:
    given = {spec.dest: None for spec in OPTIONS}
    given.update(cli or {})
    return Sources(
        cli=given,
        env=env or {},
        ini=ini or {},
        cwd=Path("/work"),
        rootdir=Path("/repo"),
        inifile=Path("/repo/pytest.ini"),
    )


def test_command_line_beats_environment_beats_ini_beats_contract_defaults():
    raw = sources(
        cli={"ready_timeout": "5"},
        env={"SERVICE_URL": "https://env.example.com"},
        ini={"service_url": "https://ini.example.com", "ready_timeout": "7"},
    )
    settings = resolve_settings(raw, {"ready_timeout": "9"})
    assert settings.ready_timeout == 5.0
    assert settings.origins["ready_timeout"] == "--ready-timeout (command line)"
    assert settings.service_url == "https://env.example.com"
    assert settings.origins["service_url"] == "SERVICE_URL (environment)"
    assert (
        resolve_settings(sources(ini={"ready_timeout": "7"}), {"ready_timeout": "9"}).ready_timeout
        == 7.0
    )
    from_contract = resolve_settings(sources(), {"ready_timeout": "9"})
    assert (from_contract.ready_timeout, from_contract.origins["ready_timeout"]) == (
        9.0,
        "contract defaults",
    )
    assert resolve_settings(sources()).ready_timeout == 60.0


def test_an_ini_value_names_the_key_it_was_read_from():
    given = sources(ini={"ready_timeout": "7", "promote": ""})
    assert resolve_settings(given).origins["ready_timeout"] == (
        "cloudrun_ready_timeout (in pytest.ini)"
    )
    for origin in ("ready_timeout (in pytest.ini)", "-o ready_timeout"):
        old = Sources(**{**vars(given), "ini_origins": {"ready_timeout": origin}})
        assert resolve_settings(old).origins["ready_timeout"] == origin
    # An unset flag (a bool ini key, read as "") leaves the flag off, from nowhere.
    assert resolve_settings(given).promote is False
    assert "promote" not in resolve_settings(given).origins


def test_the_sandbox_replaces_the_default_timeouts_and_says_so():
    settings = resolve_settings(sources(cli={"sandbox": True}), {"ready_timeout": "60"})
    assert (settings.ready_timeout, settings.logs_timeout) == (10.0, 3.0)
    assert settings.origins["logs_timeout"] == "the sandbox's default"
    assert settings.notes == (
        "--ready-timeout=10 and --logs-timeout=3 by default with --sandbox (no real cold start, "
        "no log ingestion lag); give the option to change it",
    )
    given = resolve_settings(
        sources(cli={"sandbox": True, "logs_timeout": "30"}, ini={"ready_timeout": "20"})
    )
    assert (given.ready_timeout, given.logs_timeout) == (20.0, 30.0)
    assert given.notes == ()
    real = resolve_settings(sources(cli={"service_url": "https://svc.example.com"}))
    assert (real.ready_timeout, real.logs_timeout) == (60.0, 120.0)


def test_paths_are_relative_to_where_they_were_given():
    settings = resolve_settings(
        sources(cli={"contract": "mine.yaml"}, ini={"env_file": "deploy/env.yaml"})
    )
    assert settings.contract == Path("/work/mine.yaml")
    assert settings.env_file == Path("/repo/deploy/env.yaml")
    assert settings.reports_dir == Path("/repo/reports")


def test_service_url_is_normalised():
    settings = resolve_settings(sources(cli={"service_url": "https://svc.a.run.app/"}))
    assert settings.service_url == "https://svc.a.run.app"
    assert settings.target_requested


def test_project_region_service_resolve_a_service_ref():
    settings = resolve_settings(
        sources(env={"PROJECT_ID": "p", "REGION": "europe-west1", "SERVICE_NAME": "s"})
    )
    assert settings.service_ref is not None
    assert settings.service_ref.name == "projects/p/locations/europe-west1/services/s"


@pytest.mark.parametrize(
    ("cli", "env", "message"),
    [
        (
            {"project": "p"},
            {},
            "'p' from --project (command line) needs --region and --service too",
        ),
        (
            {},
            {"REGION": "r", "SERVICE_NAME": "s"},
            "'r' from REGION (environment) needs --project too",
        ),
        (
            {"revision": "s-0001"},
            {},
            "--revision=s-0001 from --revision (command line) needs --project, --region and --service",
        ),
        ({"sandbox": True, "project": "p"}, {}, "--sandbox and --project were both given"),
        (
            {"project": "my project", "region": "r", "service": "s"},
            {},
            "'my project' from --project (command line) contains spaces or '/'",
        ),
        (
            {"auth": "oauth"},
            {},
            "'oauth' from --auth (command line) is not one of none, bearer, id-token",
        ),
        ({"inconclusive": "maybe"}, {}, "is not one of fail, skip"),
        (
            {"cloudrun_endpoint": "http://127.0.0.1:8080/v2"},
            {},
            "is not an API endpoint; give host[:port] or http(s)://host[:port], without a path",
        ),
        (
            {},
            {"SERVICE_URL": "https://a b"},
            "from SERVICE_URL (environment) has an invalid host 'a%20b'",
        ),
    ],
)
def test_errors_name_value_source_and_fix(cli, env, message):
    with pytest.raises(ConfigError) as caught:
        resolve_settings(sources(cli=cli, env=env))
    assert message in str(caught.value)


def test_endpoints_accept_host_port_or_url():
    settings = resolve_settings(
        sources(
            cli={
                "cloudrun_endpoint": "run.googleapis.com",
                "logging_endpoint": "http://127.0.0.1:9999/",
            }
        )
    )
    assert settings.cloudrun_endpoint == "run.googleapis.com"
    assert settings.logging_endpoint == "http://127.0.0.1:9999"


def test_sandbox_faults_are_validated_and_kept_in_order():
    settings = resolve_settings(
        sources(cli={"sandbox": True, "sandbox_fault": ["metrics_html", "cache_slow"]})
    )
    assert settings.sandbox_faults == ("metrics_html", "cache_slow")


TARGET = {"project": "p", "region": "r", "service": "svc"}


@pytest.mark.parametrize(
    ("cli", "message"),
    [
        (
            {**TARGET, "tag": "candidate", "baseline_tag": "Stable!"},
            "'Stable!' from --baseline-tag (command line) is not a traffic tag (lower-case "
            "letters, digits and hyphens, starting with a letter); give one such as "
            "--baseline-tag=baseline.",
        ),
        (
            {**TARGET, "tag": "candidate", "baseline_tag": "candidate"},
            "'candidate' from --baseline-tag (command line) is the candidate's own tag (from "
            "--tag (command line)); give the stable revision a tag of its own, such as "
            "--baseline-tag=baseline.",
        ),
        (
            {**TARGET, "baseline_tag": "stable"},
            "'stable' from --baseline-tag (command line) needs --tag: the comparison with the "
            "stable revision is for a tagged candidate (the candidate flow).",
        ),
    ],
)
def test_a_bad_baseline_tag_names_the_value_and_the_fix(cli, message):
    with pytest.raises(ConfigError) as err:
        resolve_settings(sources(cli=cli))
    assert str(err.value) == message


def test_a_baseline_tag_beside_the_candidate_s_is_kept():
    cli = {**TARGET, "tag": "candidate", "baseline_tag": "stable"}
    assert resolve_settings(sources(cli=cli)).baseline_tag == "stable"
