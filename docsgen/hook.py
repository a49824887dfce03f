"""The MkDocs hook (mkdocs.yml: ``hooks: [docsgen/hook.py]``): the reference pages, rendered from
the gate's tables at build time, join the site's files. MkDocs loads this file by its path, so
the repository's root is put on ``sys.path`` for ``docsgen`` itself."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = str(Path(__file__).resolve().parents[1])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from docsgen.pages import reference_pages  # noqa: E402


def on_files(files: Any, config: Any) -> Any:
    """Add each generated page (a page of the same path under docs/ is replaced)."""
    from mkdocs.structure.files import File

    for path, content in reference_pages().items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=content))
    return files
