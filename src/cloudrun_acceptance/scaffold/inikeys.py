"""The gate's bare ini names in a pytest.ini (``project = ...``), renamed to the prefixed keys
(``cloudrun_project = ...``) that the plugin reads without a deprecation warning.

Only a key at the start of a line of the [pytest] section is renamed; its value, the comments,
the other keys and sections are kept byte for byte.
"""

from __future__ import annotations

import re

from ..config.options import OPTIONS

RENAMES = {spec.old_ini_key: spec.ini_key for spec in OPTIONS if spec.ini and spec.old_ini_key}
_SECTION = re.compile(r"^\[([^\]]*)\]")
_KEY = re.compile(r"^([A-Za-z_][\w-]*)(\s*[=:])")


def rename_ini_keys(text: str) -> tuple[str, list[str]]:
    """The text with the [pytest] section's bare gate keys renamed, and each rename as
    ``project -> cloudrun_project``."""
    lines = text.splitlines(keepends=True)
    section = ""
    done: list[str] = []
    for index, line in enumerate(lines):
        if found := _SECTION.match(line):
            section = found.group(1).strip()
            continue
        key = _KEY.match(line)
        if section != "pytest" or key is None or key.group(1) not in RENAMES:
            continue
        new = RENAMES[key.group(1)]
        lines[index] = new + line[len(key.group(1)) :]
        done.append(f"{key.group(1)} -> {new}")
    return "".join(lines), done
