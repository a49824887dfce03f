"""The markdown report: cells that a table can hold."""

from __future__ import annotations

from cloudrun_acceptance.report.markdown import render_markdown
from tests.unit.builders import check_result, run_record


def test_cells_escape_pipes_and_fold_lines():
    text = render_markdown(
        run_record(check_result("test_a", "failed", summary="a | b\nc", message="a | b\nc"))
    )
    assert "| a | ❌ failed | a \\| b c |" in text
    assert "```text\na | b\nc\n```" in text
