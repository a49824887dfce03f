"""Writing the gate into a repository, without overwriting anything unless asked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model.errors import ConfigError
from .files import KEPT_WHEN_PRESENT, Ci, templates


@dataclass(frozen=True)
class Written:
    """What `init` did: the files it wrote, and those it kept as they were."""

    written: tuple[Path, ...]
    kept: tuple[Path, ...]


def init(directory: Path, *, ci: Ci = "github", force: bool = False) -> Written:
    """Write the gate into ``directory``; a file that exists stops it (naming the file) unless
    ``force``, except env.yaml, which is kept as it is."""
    chosen = templates(ci)
    kept = [
        directory / t.destination
        for t in chosen
        if t.destination in KEPT_WHEN_PRESENT and (directory / t.destination).exists()
    ]
    to_write = [t for t in chosen if directory / t.destination not in kept]
    existing = [directory / t.destination for t in to_write if (directory / t.destination).exists()]
    if existing and not force:
        others = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
        raise ConfigError(
            f"{existing[0]} exists{others}; init writes nothing over a file: move it away, or "
            "give --force to overwrite."
        )
    written = []
    for template in to_write:
        path = directory / template.destination
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(template.read())
        written.append(path)
    return Written(tuple(written), tuple(kept))
