"""The whole pre-flight read of a source tree, once."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..model.envfile import EnvFile
from ..model.preflight import SourceTree
from .dockerfile import read_dockerfile
from .requirements import read_requirements
from .upload import upload_set


def read_tree(root: Path, *, required_paths: Iterable[str], env: EnvFile) -> SourceTree:
    """The Dockerfile, the upload set (with why the required paths' files were left out) and
    the requirements of the tree at ``root``, with its env.yaml as read (config reads it)."""
    return SourceTree(
        root=root,
        dockerfile=read_dockerfile(root),
        upload=upload_set(root, required_paths),
        requirements=read_requirements(root),
        env=env,
    )
