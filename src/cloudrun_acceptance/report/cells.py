"""What the markdown report's sections share: text that renders as written, a table cell, and
each outcome's icon.

The gate's messages are plain text in which a span between backticks is code (a command, a
file name). Rendered as markdown, the rest would lose its backslashes (``/\\[Metrics\\]/`` shows
as ``/[Metrics]/``), turn ``__pycache__`` bold and hide ``<html>``: ``text`` escapes it.
"""

from __future__ import annotations

import re

ICONS = {
    "passed": "✅",
    "failed": "❌",
    "error": "💥",
    "skipped": "⏭️",
    "inconclusive": "⚠️",
    "not run": "⏸️",
}
STATUS_ICONS = {"PASSED": "✅", "FAILED": "❌", "INCONCLUSIVE": "⚠️"}

# A code span: a run of backticks, its content, the same run again (CommonMark's rule).
_CODE = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.DOTALL)
# Always literal: a backslash, an asterisk, a tag's opening bracket, an entity's ampersand
# (``&lt;`` in a body). An underscore only at a word's edge: inside a word (memory_cache_hits)
# it never emphasises, and stays readable.
_SPECIAL = re.compile(r"[\\*<]|&(?=#?\w+;)|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")

# What turns a line into a heading, a quote, a list item, a rule or a setext underline.
_BLOCK_START = re.compile(r">|[#+=-]+(?=\s|$)|\d{1,9}[.)](?=\s|$)")


def _escape(plain: str) -> str:
    return _SPECIAL.sub(lambda found: "\\" + found.group(0), plain)


def text(value: str) -> str:
    """``value`` as markdown that renders as written; its backtick spans stay code spans."""
    out, start = [], 0
    for found in _CODE.finditer(value):
        out += [_escape(value[start : found.start()]), found.group(0)]
        start = found.end()
    out.append(_escape(value[start:]))
    return "".join(out)


def paragraph(value: str) -> str:
    """``value`` on one line as a paragraph of its own: ``text``, and a first character that
    would open a heading, a quote or a list (``# Metrics disabled``) escaped."""
    line = text(" ".join(value.split()))
    found = _BLOCK_START.match(line)
    if found is None:
        return line
    at = found.end() - 1  # the marker's last character: ``#``, or the ``.`` of ``1.``
    return f"{line[:at]}\\{line[at:]}"


def cell(value: str) -> str:
    """``value`` on one line, rendering as written, its pipes escaped: one markdown table cell."""
    return text(" ".join(value.split())).replace("|", "\\|")
