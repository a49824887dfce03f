"""Revision checks through the real google-cloud-run client against the sandbox's Admin API:
each deployment fault fails exactly the right check, with the message an operator needs."""

from __future__ import annotations

from tests.integration.gatekit import (
    ADMIN,
    COMPARE,
    ENABLED,
    HTTP_CHECKS,
    IDENTITY,
    LATEST,
    NEEDS_DEPLOYMENT,
    NEEDS_EXPOSITION,
    REVISION_CHECKS,
    SECRETS,
    STARTUP,
    TRAFFIC,
    UNTAGGED,
    compare_skips,
    env_var,
    run_gate,
)

SANDBOX_SERVICE = ("--project=sandbox-project", "--region=europe-west1", "--service=emergence-app")


def test_revision_checks_pass_and_the_header_names_the_revision(gate_dir):
    run = run_gate(gate_dir, "--sandbox")
    run.expect()
    assert run.passed >= REVISION_CHECKS
    run.result.stdout.fnmatch_lines(
        ["  revision: emergence-app-00003-abc (latest ready, from the Cloud Run Admin API)"]
    )
    assert run.verdicts[ADMIN]["figures"]["revision"] == "emergence-app-00003-abc"


def test_env_drift_shows_expected_and_actual_side_by_side(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "env_drift")
    run.expect(
        failed={ENABLED, env_var("CONCEPT_RECALL_METRICS_ENABLED")} | STARTUP,
        errors=NEEDS_EXPOSITION,
    )
    run.result.stdout.fnmatch_lines(
        [
            "CONCEPT_RECALL_METRICS_ENABLED differs on emergence-app-00003-abc: expected 'true' "
            "(env.yaml), revision has '1'",
            "  env.yaml vs revision:",
            "    CONCEPT_RECALL_METRICS_ENABLED: 'true' vs '1'  DIFFERS",
            "    PYTHONPATH: '/app/src' vs '/app/src'  ok",
            "What to do: deploy with --env-vars-file env.yaml, or set it on the service (a new "
            "revision): `gcloud run services update emergence-app --update-env-vars "
            "CONCEPT_RECALL_METRICS_ENABLED=true --region europe-west1 --project sandbox-project`; "
            "values are compared as exact strings ('1' is not 'true').",
        ]
    )


def test_env_missing_names_the_key(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "env_missing")
    run.expect(failed={env_var("AUTH_DEV_MODE")})
    run.result.stdout.fnmatch_lines(
        [
            "AUTH_DEV_MODE is not set on emergence-app-00003-abc; env.yaml says '0'",
            "    AUTH_DEV_MODE: '0' vs (missing)  DIFFERS",
        ]
    )


def test_secret_version_drift_fails_each_secret_and_never_shows_a_value(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "secret_version")
    run.expect(failed=SECRETS)
    run.result.stdout.fnmatch_lines(
        [
            "OPENAI_API_KEY is mounted at OPENAI_API_KEY:4, the contract pins OPENAI_API_KEY:5",
            "What to do: deploy with --update-secrets OPENAI_API_KEY=OPENAI_API_KEY:5.",
        ]
    )


def test_secret_given_as_a_resource_name_is_the_same_secret(gate_dir):
    # The sandbox's Admin API names OPENAI_API_KEY as projects/N/secrets/OPENAI_API_KEY.
    run = run_gate(gate_dir, "--sandbox")
    assert run.verdicts["test_secret_is_mounted_at_pinned_version[OPENAI_API_KEY]"]["summary"] == (
        "OPENAI_API_KEY is mounted from OPENAI_API_KEY:5"
    )


def test_traffic_split_shows_the_whole_table(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "traffic_split")
    run.expect(failed={TRAFFIC})
    run.result.stdout.fnmatch_lines(
        [
            "emergence-app-00003-abc serves 50% of traffic, the contract expects 100%",
            "  traffic:",
            "     50% -> emergence-app-00003-abc",
            "     50% -> emergence-app-00001-xyz",
            "What to do: a split or a pin to an older revision is left from a canary or a rollback: "
            "`gcloud run services update-traffic emergence-app --to-revisions "
            "emergence-app-00003-abc=100 --region europe-west1 --project sandbox-project` gives the "
            "revision its share (or change revision.traffic_percent in the contract).",
        ]
    )


def test_not_ready_names_the_failed_revision_and_its_condition(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "not_ready")
    run.expect(failed={LATEST})
    run.result.stdout.fnmatch_lines(
        [
            "the latest created revision emergence-app-00004-def is not ready; emergence-app-00003-abc still serves",
            "  Ready condition of emergence-app-00004-def: HEALTH_CHECK_CONTAINER_ERROR: Revision "
            "'emergence-app-00004-def' is not ready and cannot serve traffic.*",
        ]
    )


def test_api_403_names_the_permission_and_the_role(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "api_403")
    run.expect(failed={ADMIN}, errors=NEEDS_DEPLOYMENT)
    run.result.stdout.fnmatch_lines(
        [
            "the Cloud Run Admin API denied run.services.get on projects/sandbox-project/locations/"
            "europe-west1/services/emergence-app (403: Permission 'run.services.get' denied*",
            "What to do: grant the gate's identity roles/run.viewer on project sandbox-project*",
            "cloudrun-acceptance: * checks not checked: the Cloud Run Admin API denied "
            "run.services.get on *; see test_admin_api_describes_the_service",
        ]
    )
    assert "%24alt" not in run.result.stdout.str()


def test_api_404_lists_the_services_that_are_there(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "api_404")
    run.expect(failed={ADMIN}, errors=NEEDS_DEPLOYMENT)
    run.result.stdout.fnmatch_lines(
        [
            "service 'emergence-app' was not found in project sandbox-project, region europe-west1 "
            "(404); there: emergence-app-staging",
            "What to do: check --project, --region and --service (or PROJECT_ID, REGION, SERVICE_NAME).",
        ]
    )


def test_url_and_revision_resolved_from_the_admin_api(gate_dir, running_sandbox, monkeypatch):
    monkeypatch.setenv("CLOUDRUN_API_ENDPOINT", running_sandbox.admin_endpoint)
    monkeypatch.setenv("LOGGING_API_ENDPOINT", running_sandbox.logging_endpoint)
    run = run_gate(gate_dir, *SANDBOX_SERVICE, "--test-session=sandbox-session")
    run.expect()
    run.result.stdout.fnmatch_lines(
        [
            f"cloudrun-acceptance *: {running_sandbox.service_url} (from Cloud Run Admin API)",
            "  revision: emergence-app-00003-abc (latest ready, from the Cloud Run Admin API)",
        ]
    )
    assert list((gate_dir.path / "reports").glob("emergence-app-00003-abc-*.xml"))


def test_pinned_revision_is_checked_instead_of_the_latest(gate_dir, running_sandbox):
    run = run_gate(
        gate_dir,
        *SANDBOX_SERVICE,
        f"--cloudrun-endpoint={running_sandbox.admin_endpoint}",
        f"--logging-endpoint={running_sandbox.logging_endpoint}",
        "--revision=emergence-app-00001-xyz",
        "--test-session=sandbox-session",
    )
    # The older revision serves no traffic and, in the sandbox, logged nothing: its startup
    # lines cannot be found, and the gate's own requests were answered by the newer revision
    # (the service URL's), which the identity check says.
    run.expect(failed={TRAFFIC, IDENTITY} | STARTUP)
    run.result.stdout.fnmatch_lines(
        [
            "  revision: emergence-app-00001-xyz (--revision (command line))",
            "emergence-app-00001-xyz serves 0% of traffic, the contract expects 100%",
        ]
    )


def test_unknown_pinned_revision_lists_the_revisions(gate_dir, running_sandbox):
    run = run_gate(
        gate_dir,
        *SANDBOX_SERVICE,
        f"--cloudrun-endpoint={running_sandbox.admin_endpoint}",
        "--revision=emergence-app-00009-zzz",
        f"--service-url={running_sandbox.service_url}",
    )
    run.result.stdout.fnmatch_lines(
        [
            "revision 'emergence-app-00009-zzz' was not found in service emergence-app (404); there: "
            "emergence-app-00001-xyz, emergence-app-00002-fgh, emergence-app-00003-abc",
        ]
    )


def test_unreachable_admin_api_is_a_clear_failure_not_a_traceback(gate_dir, refusing_port):
    endpoint = f"http://127.0.0.1:{refusing_port}"
    run = run_gate(gate_dir, *SANDBOX_SERVICE, f"--cloudrun-endpoint={endpoint}")
    mutating = {
        "test_forced_analysis_moves_the_counters",
        "test_cached_analysis_answers_within_budget",
    }
    run.expect(
        failed={ADMIN},
        errors=(HTTP_CHECKS | NEEDS_DEPLOYMENT | {"test_health_answers"}) - mutating,
        skipped=mutating,
    )
    run.result.stdout.fnmatch_lines(
        [
            "  revision: unknown (the Cloud Run Admin API at http://127.0.0.1:* could not be reached (ConnectionError); see *)",
            "What to do: check the network and --cloudrun-endpoint (CLOUDRUN_API_ENDPOINT).",
            "cloudrun-acceptance: * checks not checked: the service URL is unknown; the Cloud Run "
            "Admin API at * could not be reached*",
        ]
    )
    assert "Traceback" not in run.result.stdout.str()


def test_service_url_only_skips_revision_checks_and_never_imports_google_cloud(
    gate_dir, running_sandbox
):
    gate_dir.makeconftest(
        "def pytest_unconfigure(config):\n"
        "    import sys, pathlib\n"
        "    loaded = sorted(m for m in sys.modules if m.startswith('google'))\n"
        "    pathlib.Path('google-modules.txt').write_text('\\n'.join(loaded))\n"
    )
    result = gate_dir.runpytest_subprocess(
        f"--service-url={running_sandbox.service_url}", "-p", "no:cacheprovider", "-rs"
    )
    # The mutating two and the comparison's (outside the candidate flow) are skipped too.
    result.assert_outcomes(passed=17, skipped=len(REVISION_CHECKS) + 2 + len(COMPARE))
    result.stdout.fnmatch_lines(
        [
            "  revision: not read (no --project/--region/--service): revision checks skipped",
            "SKIPPED * reads the revision from the Cloud Run Admin API: name the service to run it "
            "(--project, --region and --service, or PROJECT_ID, REGION, SERVICE_NAME)",
        ]
    )
    result.stdout.fnmatch_lines(compare_skips(UNTAGGED), consecutive=True)
    assert (gate_dir.path / "google-modules.txt").read_text() == ""


def test_no_credentials_says_how_to_get_them(gate_dir, running_sandbox, monkeypatch, tmp_path):
    # Google's real endpoint, and no credentials anywhere: no key file, no gcloud login, and
    # (NO_GCE_CHECK) no metadata server to ask.
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "gcloud"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("NO_GCE_CHECK", "true")
    run = run_gate(
        gate_dir,
        *SANDBOX_SERVICE,
        f"--service-url={running_sandbox.service_url}",
        "--test-session=sandbox-session",
    )
    run.expect(failed={ADMIN}, errors=NEEDS_DEPLOYMENT)
    run.result.stdout.fnmatch_lines(
        [
            "no Google credentials to call the Cloud Run Admin API",
            "What to do: on a workstation run `gcloud auth application-default login`; in CI use a "
            "service account (workload identity federation, or GOOGLE_APPLICATION_CREDENTIALS) with "
            "roles/run.viewer on project sandbox-project.",
        ]
    )
