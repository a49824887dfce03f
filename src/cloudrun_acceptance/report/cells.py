"""What the markdown report's sections share: a table cell, and each outcome's icon."""

from __future__ import annotations

ICONS = {
    "passed": "✅",
    "failed": "❌",
    "error": "💥",
    "skipped": "⏭️",
    "inconclusive": "⚠️",
    "not run": "⏸️",
}


def cell(text: str) -> str:
    """``text`` on one line, its pipes escaped: one cell of a markdown table."""
    return " ".join(text.split()).replace("|", "\\|")
