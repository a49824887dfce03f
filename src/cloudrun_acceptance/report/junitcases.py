"""A failed check as JUnit viewers show it: the message attribute says what failed and what to
do; the element's text holds the evidence, and nothing of the message again.

pytest's junitxml writes a failure's whole text as the element's text and its first lines again
as the ``message`` attribute, cut to whole lines within 500 characters: a verdict's "What to
do", its last line, is the line cut, and viewers that show both (xunit-viewer, junit2html,
Jenkins' "Error Message" above its "Stacktrace") show the rest twice. The file is rewritten once
pytest has written it, for the failures whose text is a verdict's message.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..model.verdict import ADVICE_PREFIX, indented

OUTCOME_TAGS = ("failure", "error")


def failure_parts(summary: str, evidence: Iterable[str], advice: str) -> tuple[str, str]:
    """The message attribute (the summary, then "What to do: ...") and the element's text (the
    evidence, indented as in the terminal) of a failed verdict."""
    message = f"{summary}\n{ADVICE_PREFIX}{advice}" if advice else summary
    return message, "\n".join(indented(evidence))


def rewrite_failures(path: Path, parts: Mapping[str, tuple[str, str]]) -> None:
    """Rewrite the JUnit file at ``path``: a failure whose text is a key of ``parts`` gets that
    message and text; any other failure or error whose text the message attribute already
    holds (a one-line "not checked" error) keeps the message alone."""
    tree = ET.parse(path)
    changed = False
    for tag in OUTCOME_TAGS:
        for element in tree.getroot().iter(tag):
            text = (element.text or "").strip()
            if text in parts:
                message, body = parts[text]
                element.set("message", message)
                element.text = body or None
                changed = True
            elif text and text in element.get("message", ""):
                element.text = None
                changed = True
    if changed:
        tree.write(path, encoding="utf-8", xml_declaration=True)
