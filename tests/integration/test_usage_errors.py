"""Bad input stops the run before any check, with a usage error naming value, source and fix."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.metrics.names import METRIC_TYPES
from cloudrun_acceptance.sandbox import FAULTS
from tests.integration.gatekit import edit_contract, run_gate


def usage_error(run, *lines: str) -> None:
    assert run.result.ret == pytest.ExitCode.USAGE_ERROR, run.result.stderr.str()
    assert run.outcomes == {}
    run.result.stderr.fnmatch_lines(list(lines))


def test_no_target_names_the_three_ways_to_give_one(gate_dir):
    run = run_gate(gate_dir)
    usage_error(
        run,
        "ERROR: no service to check: give the service to check in one of three ways:",
        "  --service-url=https://my-service-abc-ew.a.run.app   (or SERVICE_URL, or cloudrun_service_url in pytest.ini)",
        "  --project=P --region=R --service=S * (or PROJECT_ID, REGION, SERVICE_NAME: resolved *)",
        "  --sandbox  * (the embedded reference deployment on 127.0.0.1)",
    )


def test_runs_without_gate_checks_need_no_target(pytester):
    pytester.makepyfile("def test_unrelated(): assert 1 + 1 == 2")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("args", "env", "ini", "origin", "value"),
    [
        (
            ["--service-url", "my-service.run.app"],
            {},
            "",
            "--service-url (command line)",
            "my-service.run.app",
        ),
        ([], {"SERVICE_URL": "https://"}, "", "SERVICE_URL (environment)", "https://"),
        (
            [],
            {},
            "cloudrun_service_url = ftp://files.example.com",
            "cloudrun_service_url (in pytest.ini)",
            "ftp://files.example.com",
        ),
    ],
    ids=["command-line", "environment", "ini"],
)
def test_service_url_without_scheme_or_host_names_its_source(
    gate_dir, monkeypatch, args, env, ini, origin, value
):
    for name, raw in env.items():
        monkeypatch.setenv(name, raw)
    if ini:
        ini_path = gate_dir.path / "pytest.ini"
        ini_path.write_text(ini_path.read_text() + f"{ini}\n")
    run = run_gate(gate_dir, *args)
    usage_error(
        run,
        f"ERROR: '{value}' from {origin} needs a scheme (https://) and a host; give a full URL, "
        "such as --service-url=https://my-service-abc-ew.a.run.app.",
    )


def test_command_line_beats_environment_beats_ini(gate_dir, monkeypatch):
    monkeypatch.setenv("SERVICE_URL", "https://from-env.example.com")
    ini_path = gate_dir.path / "pytest.ini"
    ini_path.write_text(
        ini_path.read_text() + "cloudrun_service_url = https://from-ini.example.com\n"
    )
    result = gate_dir.runpytest("--collect-only", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(
        ["cloudrun-acceptance *: https://from-env.example.com (from SERVICE_URL (environment))"]
    )
    result = gate_dir.runpytest(
        "--collect-only", "-p", "no:cacheprovider", "--service-url", "https://cli.example.com"
    )
    result.stdout.fnmatch_lines(
        ["cloudrun-acceptance *: https://cli.example.com (from --service-url (command line))"]
    )
    monkeypatch.delenv("SERVICE_URL")
    result = gate_dir.runpytest("--collect-only", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(
        [
            "cloudrun-acceptance *: https://from-ini.example.com (from cloudrun_service_url (in "
            "pytest.ini))"
        ]
    )


def test_service_url_and_sandbox_together_is_an_error(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--service-url", "https://x.example.com")
    usage_error(
        run,
        "ERROR: --sandbox and --service-url=https://x.example.com were both given; the sandbox is "
        "its own service. Drop one of them.",
    )


def test_sandbox_overrides_a_service_url_from_the_environment_and_says_so(gate_dir, monkeypatch):
    monkeypatch.setenv("SERVICE_URL", "https://x.example.com")
    result = gate_dir.runpytest("--sandbox", "--collect-only", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(
        ["  note: SERVICE_URL (environment) ignored: --sandbox given on the command line"]
    )


def test_missing_contract_file(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--contract", "nope.yaml")
    usage_error(
        run, "ERROR: contract */nope.yaml does not exist; pass --contract PATH to an existing file."
    )


def test_a_skipped_check_that_is_no_built_in_one_names_the_closest(gate_dir):
    edit_contract(gate_dir, "checks", "skip", ["test_exposition_lint"])
    run = run_gate(gate_dir, "--sandbox")
    usage_error(
        run,
        "ERROR: */tests/acceptance/contract.yaml: checks.skip: 'test_exposition_lint' is not a "
        "built-in check; give a built-in check's function name (the closest: "
        "test_exposition_passes_lint*). A check of your own is left out with -k or -m, or by "
        "deleting it.",
    )


def test_contract_that_is_not_yaml(gate_dir):
    (gate_dir.path / "broken.yaml").write_text("metrics:\n  expected: [\n    - {name: x\n")
    run = run_gate(gate_dir, "--sandbox", "--contract", "broken.yaml")
    usage_error(
        run,
        "ERROR: contract */broken.yaml is not valid YAML at line *, column *: *; fix the syntax.",
    )


def test_contract_with_an_unknown_metric_type(gate_dir):
    path = gate_dir.path / "tests/acceptance/contract.yaml"
    path.write_text(path.read_text().replace("type: gauge}", "type: gague}", 1))
    run = run_gate(gate_dir, "--sandbox")
    usage_error(
        run,
        "ERROR: */contract.yaml: metrics.expected[[]8].type: 'gague' is not a metric type; use one of "
        f"{', '.join(METRIC_TYPES)}.",
    )


def test_contract_with_a_negative_budget(gate_dir):
    edit_contract(gate_dir, "cache", "budget_seconds", -0.3)
    run = run_gate(gate_dir, "--sandbox")
    usage_error(
        run,
        "ERROR: */contract.yaml: cache.budget_seconds: -0.3 is out of range; give a number greater than 0.",
    )


def test_contract_with_a_misspelt_key(gate_dir):
    edit_contract(gate_dir, "cache", "budget_second", 0.3)
    run = run_gate(gate_dir, "--sandbox")
    usage_error(
        run,
        "ERROR: */contract.yaml: cache: unknown key 'budget_second'; use one of method, path, query, headers, body, form, raw, budget_seconds, samples, counters.",
    )


def test_a_startup_line_that_cloud_logging_would_refuse(gate_dir):
    edit_contract(gate_dir, "logs", "startup_lines", ["Application startup complete\\Z"])
    run = run_gate(gate_dir, "--sandbox")
    usage_error(
        run,
        "ERROR: */contract.yaml: logs.startup_lines[[]0]: 'Application startup complete*Z': RE2 has "
        "no *Z: *z is the end of the text: Cloud Logging's filter takes RE2 regular expressions; "
        "write it in RE2's syntax (github.com/google/re2/wiki/Syntax): *z for the end of the text, "
        "no lookaround, no backreferences.",
    )


@pytest.mark.parametrize("value", ["abc", "-5", "nan"])
def test_ready_timeout_must_be_seconds(gate_dir, value):
    run = run_gate(gate_dir, "--sandbox", f"--ready-timeout={value}")
    usage_error(
        run,
        f"ERROR: '{value}' from --ready-timeout (command line) is not a number of seconds >= 0; "
        "give one, such as --ready-timeout=60.",
    )


def test_empty_test_session_from_the_environment(gate_dir, monkeypatch):
    monkeypatch.setenv("TEST_SESSION", "")
    run = run_gate(gate_dir, "--sandbox")
    usage_error(
        run,
        "ERROR: '' from TEST_SESSION (environment) is empty; give a value, or unset TEST_SESSION.",
    )


def test_empty_test_session_on_the_command_line(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--test-session=")
    usage_error(run, "ERROR: '' from --test-session (command line) is empty; give a value.")


def test_unknown_fault_lists_the_known_ones(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "metrics_gone")
    known = ", ".join(sorted(FAULTS))
    usage_error(
        run,
        f"ERROR: unknown sandbox fault 'metrics_gone' from --sandbox-fault (command line); known faults: {known}.",
    )


def test_fault_without_sandbox(gate_dir):
    run = run_gate(
        gate_dir, "--service-url", "https://x.example.com", "--sandbox-fault", "metrics_html"
    )
    usage_error(
        run, "ERROR: --sandbox-fault=metrics_html only applies with --sandbox; add --sandbox."
    )


def test_env_file_value_must_be_a_quoted_string(gate_dir):
    (gate_dir.path / "env.yaml").write_text(
        'CONCEPT_RECALL_METRICS_ENABLED: true\nPYTHONPATH: "/app/src"\n'
    )
    run = run_gate(gate_dir, "--sandbox")
    usage_error(
        run,
        "ERROR: env file */env.yaml (from --env-file's default) line 1: CONCEPT_RECALL_METRICS_ENABLED: "
        "true is read as a boolean, not a string, and gcloud --env-vars-file takes strings only; "
        'quote it: CONCEPT_RECALL_METRICS_ENABLED: "true".',
    )


def test_bearer_auth_without_a_token_is_a_usage_error(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--auth=bearer", "--token-env=GATE_TOKEN")
    usage_error(
        run,
        "ERROR: --auth bearer reads the token from the GATE_TOKEN environment variable, which is not "
        "set; export it (for Cloud Run: GATE_TOKEN=$(gcloud auth print-identity-token)), or name "
        "another variable with --token-env.",
    )


def test_project_without_region_and_service(gate_dir, monkeypatch):
    monkeypatch.setenv("PROJECT_ID", "my-project")
    run = run_gate(gate_dir, "--service=emergence-app")
    usage_error(
        run,
        "ERROR: 'my-project' from PROJECT_ID (environment) needs --region too: the Admin API finds a "
        "service by project, region and name. Give all three (or PROJECT_ID, REGION, SERVICE_NAME).",
    )


def test_id_token_auth_without_usable_credentials_says_what_works(
    gate_dir, monkeypatch, refusing_port, tmp_path
):
    # A user login (what `gcloud auth application-default login` writes) cannot mint identity
    # tokens, and there is no metadata server: the one here refuses, so nothing leaves loopback.
    login = tmp_path / "adc.json"
    login.write_text(
        '{"type": "authorized_user", "client_id": "x", "client_secret": "y", "refresh_token": "z"}'
    )
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(login))
    for name in ("GCE_METADATA_IP", "GCE_METADATA_HOST"):
        monkeypatch.setenv(name, f"127.0.0.1:{refusing_port}")
    # A subprocess: google-auth reads the metadata server's address when it is imported.
    result = gate_dir.runpytest_subprocess("--sandbox", "--auth=id-token", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: --auth id-token could not get an identity token for http://127.0.0.1:* "
            "(DefaultCredentialsError); in CI use a service account with roles/run.invoker "
            "(GOOGLE_APPLICATION_CREDENTIALS or workload identity); on a workstation use --auth "
            "bearer with SERVICE_TOKEN=$(gcloud auth print-identity-token)."
        ]
    )
