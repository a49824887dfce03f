"""The upload set as gcloud computes it: .gcloudignore with gitignore patterns, #!include, the
default without one, and a parent folder left out keeping its children out."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudrun_acceptance.preflight.upload import upload_set

TREE = (
    "Dockerfile",
    "requirements.txt",
    "src/backend/__init__.py",
    "src/backend/main.py",
    "src/backend/__pycache__/main.cpython-311.pyc",
    "tests/test_app.py",
    "notes.md",
)


def make(root: Path, files: dict[str, str]) -> Path:
    for name in TREE:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.mark.parametrize(
    ("files", "uploaded", "left_out"),
    [
        (  # an unanchored name leaves the folder out wherever it is
            {".gcloudignore": "tests\nsrc\n"},
            {"Dockerfile", ".gcloudignore"},
            {"src/backend/main.py": ".gcloudignore line 2: src"},
        ),
        (  # an anchored folder pattern
            {".gcloudignore": "/src/\n"},
            {"tests/test_app.py"},
            {"src/backend/__init__.py": ".gcloudignore line 1: /src/"},
        ),
        (  # #!include:.gitignore brings .gitignore's patterns, named by their own file and line
            {
                ".gcloudignore": ".gcloudignore\n#!include:.gitignore\n",
                ".gitignore": "*.pyc\n/src\n",
            },
            {"Dockerfile", ".gitignore"},
            {"src/backend/main.py": ".gitignore line 2: /src"},
        ),
        (  # an allow-list: everything out at the top, then src/ and the build's files back in
            {".gcloudignore": "*\n!src/\n!Dockerfile\n!requirements.txt\n"},
            {"src/backend/main.py", "Dockerfile", "requirements.txt"},
            {"notes.md": ".gcloudignore line 1: *", "tests/": ".gcloudignore line 1: *"},
        ),
        (  # a folder left out keeps its children out: they cannot be brought back
            {".gcloudignore": "src/\n!src/backend/main.py\n"},
            {"Dockerfile"},
            {"src/backend/main.py": ".gcloudignore line 1: src/"},
        ),
        (  # folder and wildcard patterns at any depth
            {".gcloudignore": "__pycache__/\n*.md\n"},
            {"src/backend/main.py"},
            {"notes.md": ".gcloudignore line 2: *.md"},
        ),
    ],
)
def test_gcloudignore_rules(tmp_path, files, uploaded, left_out):
    root = make(tmp_path, files)
    upload = upload_set(root, ["src/"])
    assert uploaded <= set(upload.files), sorted(upload.files)
    for path, rule in left_out.items():
        assert path not in upload.files
        assert str(upload.excluded[path]) == rule
    assert upload.rules_from == ".gcloudignore"


def test_without_gcloudignore_or_git_files_everything_is_uploaded(tmp_path):
    upload = upload_set(make(tmp_path, {}))
    assert set(upload.files) == set(TREE)
    assert upload.rules_from.startswith("no .gcloudignore and no git files")


def test_without_gcloudignore_a_git_checkout_gets_gclouds_default(tmp_path):
    root = make(tmp_path, {".gitignore": "tests/\n"})
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref")
    upload = upload_set(root)
    assert "tests/test_app.py" not in upload.files
    assert str(upload.excluded["tests/"]) == ".gitignore line 1: tests/"
    assert ".gitignore" not in upload.files and ".git/" in upload.excluded
    assert upload.rules_from == (
        "gcloud's default (no .gcloudignore): .git, .gitignore and .gitignore's rules"
    )


def test_size_and_largest_files(tmp_path):
    root = make(tmp_path, {"big.bin": "y" * 5000, "mid.bin": "z" * 300})
    upload = upload_set(root)
    assert upload.largest(2) == [("big.bin", 5000), ("mid.bin", 300)]
    assert upload.size == 5300 + len(TREE)
    kept, dropped = upload.under("src/")
    assert "src/backend/main.py" in kept and dropped == []
