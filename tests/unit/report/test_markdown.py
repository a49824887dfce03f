"""The markdown report: the verdict and each root cause with what to do first, the passing
checks folded, every key/value table with a header."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.report.markdown import render_markdown
from tests.unit.builders import check_result, run_record

COMMAND = "gcloud run services update-traffic svc --to-revisions svc-2=100 --region r --project p"


def failing_run() -> str:
    return render_markdown(
        run_record(
            check_result("test_health_answers", "passed", summary="health answered 200"),
            check_result(
                "test_revision_serves_expected_traffic",
                "failed",
                summary="svc-2 serves 50% of traffic, the contract expects 100%",
                evidence=["traffic:\n  50% -> svc-2\n  50% -> svc-1"],
                advice=f"a split is left: `{COMMAND}` gives the revision its share.",
                message="(the verdict's message)",
            ),
        )
    )


def test_a_failing_report_opens_with_the_verdict_the_cause_and_what_to_do():
    lines = failing_run().splitlines()
    assert lines[:22] == [
        "# Validation report: svc-a-run-app",
        "",
        "**FAILED** ❌: 1 passed, 1 failed, 0 errors, 0 skipped",
        "",
        "## What failed",
        "",
        "### ❌ failed: revision serves expected traffic",
        "",
        "svc-2 serves 50% of traffic, the contract expects 100%",
        "",
        "- traffic:",
        "  - 50% -> svc-2",
        "  - 50% -> svc-1",
        "",
        "**What to do:** a split is left: the command below gives the revision its share.",
        "",
        "```sh",
        "gcloud run services update-traffic svc \\",
        "  --to-revisions svc-2=100 \\",
        "  --region r \\",
        "  --project p",
        "```",
    ]
    # The passing check comes after, folded; the failing one is not listed again.
    text = "\n".join(lines)
    assert text.index("health answered 200") > text.index("**What to do:**")
    assert "| revision serves expected traffic |" not in text


def test_passing_checks_are_folded_with_a_blank_line_after_the_summary():
    text = render_markdown(
        run_record(
            check_result("test_a", "passed", summary="a holds"),
            check_result("test_b[x]", "passed", summary="b | holds"),
        )
    )
    assert text.splitlines()[2] == "**PASSED** ✅: 2 passed, 0 failed, 0 errors, 0 skipped"
    assert "## What failed" not in text
    assert (
        '<details markdown="1"><summary>✅ 2 checks passed</summary>\n\n| Check | Summary |\n|---|---|\n'
        "| a | a holds |\n| b · x | b \\| holds |\n\n</details>"
    ) in text


def test_every_key_value_table_has_a_header():
    text = render_markdown(
        run_record(check_result("test_a", "passed", summary="ok", figures={"n": "1"}))
    )
    assert "| |" not in text
    assert "## Run\n\n| Field | Value |\n|---|---|\n| Date | 2026-11-25 10:00:00 UTC |" in text
    assert "**a**\n\n| Figure | Value |\n|---|---|\n| n | 1 |" in text


def test_a_plain_assert_shows_its_traceback_as_code_and_a_regex_keeps_its_backslashes():
    text = render_markdown(
        run_record(
            check_result(
                "test_teapot",
                "failed",
                summary=r"no line matches /\[Metrics\] on/",
                message="no line matches\n  assert 1 == 2",
            )
        )
    )
    assert "\nno line matches /\\\\[Metrics\\\\] on/\n" in text
    assert "```text\nno line matches\n  assert 1 == 2\n```" in text


def test_rendered_the_cause_and_the_fold_are_html_a_reader_sees():
    markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py renders CommonMark")
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(failing_run())
    assert "<h3>❌ failed: revision serves expected traffic</h3>" in html
    assert "<p><strong>What to do:</strong> a split is left: the command below" in html
    assert '<pre><code class="language-sh">gcloud run services update-traffic svc \\\n' in html
    assert '<details markdown="1"><summary>✅ 1 check passed</summary>' in html
    assert "<td>health answered 200</td>" in html
