"""The latency chart of the report's Candidate vs stable section, from the figures the latency
comparison records: the slow tail labelled as such, both axes titled, each series named by its
colour with its revision, the tolerance drawn and said. tests/integration/test_mermaid.py renders
it with Mermaid itself."""

from __future__ import annotations

from cloudrun_acceptance.report.compare import _chart
from tests.unit.builders import check_result

EDGES = "10.3 10.5 10.7 10.9 11.1 11.3 11.5 11.7 11.9 12.1 12.3 12.5"
FIGURES = {
    "baseline p95 (ms)": "10.1",
    "candidate p95 (ms)": "12.5",
    "tolerance": "10% slower",
    "histogram bins (ms)": EDGES,
    "histogram baseline": "19 0 0 0 0 0 0 0 0 0 0 0 1",
    "histogram candidate": "0 0 0 0 0 0 0 0 0 0 0 19 1",
    "histogram at tolerance": "0 0 0 0 0 19 0 0 0 0 0 0 1",
    "histogram revisions": "svc-00001-xyz svc-00002-abc",
}
PALETTE = (
    '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#3b7ddd, #8c959f, #f0750f"}}}}%%'
)


def chart(**figures: str) -> list[str]:
    result = check_result(
        "test_candidate_latency_against_baseline[cached call]",
        "failed",
        figures={**FIGURES, **figures},
    )
    return _chart(result)


def test_the_chart_titles_its_axes_and_labels_the_slow_tail():
    labels = ", ".join(f'"{edge}"' for edge in EDGES.split())
    assert chart()[:12] == [
        "",
        "```mermaid",
        PALETTE,
        "xychart-beta",
        '    title "cached call: answers per latency bin"',
        f'    x-axis "answer time (ms), each bin up to its label" [{labels}, "> 12.5"]',
        '    y-axis "answers per bin" 0 --> 19',
        "    bar [19, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]",
        "    line [0, 0, 0, 0, 0, 19, 0, 0, 0, 0, 0, 0, 1]",
        "    line [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 19, 1]",
        "```",
        "",
    ]


def test_the_caption_names_each_series_by_colour_with_its_revision_and_the_tolerance():
    assert chart()[12:] == [
        "Blue bars: baseline svc-00001-xyz (p95 10.1 ms). Orange line: candidate svc-00002-abc "
        "(p95 12.5 ms). Grey line: the baseline's answers 10% slower, a candidate exactly at "
        "the tolerance; the orange line right of it is slower than the tolerance allows (the "
        "table's interval says whether beyond doubt). The last bin holds every answer slower "
        "than 12.5 ms."
    ]


def test_without_the_revisions_the_caption_names_the_sides():
    caption = chart(**{"histogram revisions": ""})[-1]
    assert caption.startswith("Blue bars: baseline (p95 10.1 ms). Orange line: candidate (p95 ")


def test_a_kind_with_a_double_quote_keeps_the_title_parseable():
    result = check_result(
        'test_candidate_latency_against_baseline[say "hi"]', "passed", figures=FIGURES
    )
    assert _chart(result)[4] == "    title \"say 'hi': answers per latency bin\""


def test_counts_that_do_not_fit_the_bins_draw_no_chart():
    # A series one short (no tail) would put the tail's label on the wrong bin.
    assert chart(**{"histogram candidate": "0 0 0 0 0 0 0 0 0 0 0 19"}) == []
    assert chart(**{"histogram bins (ms)": ""}) == []
