"""Text in the report renders as written: backslashes, underscores at a word's edge, asterisks
and tags are escaped; code spans stay code; a table cell is one line with its pipes escaped."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.report.cells import cell, paragraph, text


@pytest.mark.parametrize(
    ("plain", "markdown"),
    [
        (r"matches /\[Metrics\] on/", r"matches /\\[Metrics\\] on/"),
        ("__pycache__ is left out", r"\_\_pycache\_\_ is left out"),
        ("memory_analysis_cache_hits_total +1", "memory_analysis_cache_hits_total +1"),
        ("*.pyc and <html>", r"\*.pyc and \<html>"),
        ("&lt;p&gt; & more", r"\&lt;p\&gt; & more"),
        (r"run `grep -E '\d+'` then", r"run `grep -E '\d+'` then"),
        ("0 -> 1", "0 -> 1"),
    ],
)
def test_text_renders_as_written(plain, markdown):
    assert text(plain) == markdown


def test_a_cell_is_one_line_with_its_pipes_escaped():
    assert cell("a | b\nc  d") == "a \\| b c d"


def test_a_paragraph_never_opens_a_heading_a_quote_or_a_list():
    assert paragraph("# Metrics disabled.\n Set it") == "\\# Metrics disabled. Set it"
    assert paragraph("1. first") == "1\\. first"
    assert paragraph("- a") == "\\- a"
    assert paragraph("## x") == "#\\# x"
    assert paragraph("metrics are disabled") == "metrics are disabled"
    assert paragraph("0.5 s, -1 and #3") == "0.5 s, -1 and #3"


def test_rendered_the_backslashes_and_underscores_survive():
    markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py renders CommonMark")
    html = markdown_it.MarkdownIt("commonmark").render(
        text(r"no line matches /\[Metrics\] 13/ in __init__.py")
    )
    assert html == "<p>no line matches /\\[Metrics\\] 13/ in __init__.py</p>\n"
