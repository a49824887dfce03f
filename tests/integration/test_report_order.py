"""The report puts the verdict and what to do first: each root cause with its evidence and
advice before any passing check, the checks a failure kept from running on one line, and in a
run of several targets what failed in each above their sections, each with its figures."""

from __future__ import annotations

import re

from tests.integration.gatekit import not_run, run_gate
from tests.integration.test_reports import junit_status, only

EU, US = "europe-west1", "us-central1"


def test_a_failing_report_opens_with_the_root_cause_and_what_to_do(gate_dir):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault", "env_drift")
    assert run.result.ret == 1
    report = only(gate_dir.path / "reports", "*.md").read_text()
    lines = report.splitlines()
    assert lines[:9] == [
        "# Validation report: emergence-app-00003-abc",
        "",
        "**FAILED** ❌: 21 passed, 4 failed, 17 errors, 6 skipped",
        "",
        "## What failed",
        "",
        "### ❌ failed: metrics enabled",
        "",
        lines[8],
    ]
    assert re.fullmatch(
        r"metrics are disabled: http://127\.0\.0\.1:\d+/api/metrics answered 200 with no metric "
        r"family",
        lines[8],
    )
    advice = lines.index(
        "**What to do:** set CONCEPT_RECALL_METRICS_ENABLED=true on the revision (in env.yaml, "
        "then deploy again with --env-vars-file env.yaml); the service switches its metrics on "
        "only for the exact string 'true' (metrics.enable_value in the contract)."
    )
    assert advice < 20
    # Every root cause, its advice and its command come before any passing check.
    passing = report.index('<details markdown="1"><summary>✅ 21 checks passed</summary>')
    env = report.index("### ❌ failed: revision env var matches env file · CONCEPT_RECALL_")
    assert advice < env < passing
    assert (
        "the command below; values are compared as exact strings ('1' is not 'true').\n\n```sh\n"
        "gcloud run services update emergence-app \\\n"
        "  --update-env-vars CONCEPT_RECALL_METRICS_ENABLED=true \\\n"
        "  --region europe-west1 \\\n"
        "  --project sandbox-project\n```"
    ) in report[env:passing]
    assert "  - CONCEPT_RECALL_METRICS_ENABLED: 'true' vs '1' DIFFERS" in report[env:passing]
    # A regular expression keeps its backslashes, rendered.
    assert (
        "no log line of the revision matches /\\\\[Metrics\\\\] Prometheus endpoint exposed at "
        "/api/metrics/ after " in report[:passing]
    )
    # The 17 checks that needed the exposition: one line, naming the check that failed.
    (dependents,) = [line for line in not_run(report) if " not run because " in line]
    assert dependents.startswith(
        "- 17 checks not run because ❌ metrics enabled failed: http://127.0.0.1:"
    )
    assert dependents.endswith(
        "/api/metrics gave no usable exposition (no metric family) (metric is exposed with its "
        "type: memory_analysis_duration_seconds, memory_analysis_success_total, "
        "memory_analysis_failures_total, memory_analysis_cache_hits_total, "
        "memory_analysis_cache_misses_total, memory_analysis_messages_processed_total, "
        "memory_analysis_concepts_extracted_total, memory_analysis_entities_extracted_total, "
        "memory_analysis_cache_size, memory_analysis_in_progress, concept_recall_queries_total, "
        "concept_recall_query_duration_seconds, concept_recall_concepts_stored; enough contract "
        "metrics are present; exposition passes lint; forced analysis moves the counters; "
        "cached analysis answers within budget)"
    )
    assert "💥" not in report and "not checked" not in report
    assert report.index("## Not run") < report.index("## Traffic") < passing
    assert "| CONCEPT_RECALL_METRICS_ENABLED | `1` |" in report
    assert junit_status(gate_dir.path / "reports") == "FAILED"


def test_a_report_of_several_targets_names_what_failed_first_and_has_each_ones_figures(
    gate_dir,
):
    run = run_gate(gate_dir, "--sandbox", "--sandbox-fault=region_fails")
    assert run.result.ret == 1
    text = only(gate_dir.path / "reports", "emergence-app-2-regions-*Z.md").read_text()
    assert text.index(f"- {US}: ❌ cached analysis answers within budget: ") < text.index(
        "| Target | Revision | Status | Checks | Traffic |"
    )
    assert text.count("\n### Figures\n") == 2
    assert f"\n**health answers · {US}**\n\n| Figure | Value |\n" in text
    # A check's case and its target are told apart by one separator.
    assert f"| metric is exposed with its type · memory_analysis_cache_size · {EU} | " in text
    assert f"-{EU}" not in text and f"-{US}" not in text
