"""The gate's bare ini names in a pytest.ini (``project = ...``), renamed to the prefixed keys
(``cloudrun_project = ...``) that the plugin reads without a deprecation warning.

Only a key at the start of a line of the [pytest] section is renamed; its value, the comments,
the other keys and sections are kept byte for byte. A bare name whose prefixed key is in the
section too is commented out instead (with its continuation lines): the plugin reads the
prefixed key's value, and a key written twice would make the file unreadable to pytest.
"""

from __future__ import annotations

import re

from ..config.options import OPTIONS

RENAMES = {spec.old_ini_key: spec.ini_key for spec in OPTIONS if spec.ini and spec.old_ini_key}
_SECTION = re.compile(r"^\[([^\]]*)\]")
_KEY = re.compile(r"^([A-Za-z_][\w-]*)(\s*[=:])")


def rename_ini_keys(text: str) -> tuple[str, list[str], list[str]]:
    """The text with the [pytest] section's bare gate keys renamed or commented out; each rename
    as ``project -> cloudrun_project``, and each bare name commented out."""
    lines = text.splitlines(keepends=True)
    sections = _sections(lines)
    present = {key for index, key in _keys(lines) if sections[index] == "pytest"}
    renamed: list[str] = []
    commented: list[str] = []
    dropping = False
    for index, line in enumerate(lines):
        if dropping and line[:1] in {" ", "\t"} and line.strip():  # the value's continuation
            lines[index] = "# " + line
            continue
        dropping = False
        key = _KEY.match(line)
        if sections[index] != "pytest" or key is None or key.group(1) not in RENAMES:
            continue
        old, new = key.group(1), RENAMES[key.group(1)]
        if new in present:
            lines[index] = "# " + line
            commented.append(old)
            dropping = True
        else:
            lines[index] = new + line[len(old) :]
            renamed.append(f"{old} -> {new}")
    return "".join(lines), renamed, commented


def _sections(lines: list[str]) -> list[str]:
    """Each line's section ("" before the first)."""
    section = ""
    found: list[str] = []
    for line in lines:
        if header := _SECTION.match(line):
            section = header.group(1).strip()
        found.append(section)
    return found


def _keys(lines: list[str]) -> list[tuple[int, str]]:
    return [(index, key.group(1)) for index, line in enumerate(lines) if (key := _KEY.match(line))]
