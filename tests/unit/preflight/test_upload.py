"""The upload set as gcloud computes it: .gcloudignore, #!include, the default without one, a
parent folder left out keeping its children out; what gcloud refuses and skips, and the
gcloudignore/enabled property read from the user's gcloud configuration. The rules one by one
are in test_gcloud_rules.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudrun_acceptance.checks.preflight import judge_upload
from cloudrun_acceptance.config.envfile import read_env_entries
from cloudrun_acceptance.model.contract import PreflightRules
from cloudrun_acceptance.preflight.tree import read_tree
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


@pytest.fixture(autouse=True)
def no_gcloud_configuration(tmp_path, monkeypatch):
    """The tests read a gcloud configuration of their own, never the machine's."""
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "no-gcloud-config"))
    monkeypatch.delenv("CLOUDSDK_GCLOUDIGNORE_ENABLED", raising=False)
    monkeypatch.delenv("CLOUDSDK_ACTIVE_CONFIG_NAME", raising=False)


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


def judged(root: Path, required: tuple[str, ...] = ("src/", "Dockerfile")):
    rules = PreflightRules(required_paths=required)
    tree = read_tree(root, required_paths=rules.required_paths, env=read_env_entries(root / "x"))
    return judge_upload(tree=tree, rules=rules)


@pytest.mark.parametrize(
    ("line", "said", "fix"),
    [
        (
            "#!include: .gitignore",
            "Could not read ignore file [{root}/ .gitignore]: Unable to read file "
            "[{root}/ .gitignore]: [Errno 2] No such file or directory: '{root}/ .gitignore'",
            "write `#!include:.gitignore`: gcloud takes everything after the colon, spaces too, "
            "as the file's name.",
        ),
        (
            "#!include:.dockerignore",
            "Could not read ignore file [{root}/.dockerignore]: Unable to read file "
            "[{root}/.dockerignore]: [Errno 2] No such file or directory: '{root}/.dockerignore'",
            "create .dockerignore at the top of the source tree, or remove the line.",
        ),
        (
            "#!include:config/ignore",
            "May only include files in the same directory.",
            "copy the patterns of config/ignore into .gcloudignore, or move the file beside "
            ".gcloudignore and write `#!include:ignore`.",
        ),
    ],
)
def test_a_tree_gcloud_would_refuse_fails_with_its_words_and_the_fix(tmp_path, line, said, fix):
    root = make(tmp_path / "tree", {".gcloudignore": f"tests/\n{line}\n", ".gitignore": "x\n"})
    verdict = judged(root)
    message = said.replace("{root}", str(root))
    assert verdict.status == "failed"
    assert verdict.summary == (
        "gcloud run deploy --source would refuse this tree before uploading anything: "
        f"ERROR: (gcloud.run.deploy) {message}"
    )
    assert verdict.evidence[0] == f"at .gcloudignore line 2: {line}"
    assert verdict.advice == fix
    # The rest of the file still reads: the files are those of the tree without the line.
    assert (
        "tests/test_app.py"
        not in read_tree(root, required_paths=(), env=read_env_entries(root / "x")).upload.files
    )


def test_lines_gcloud_cannot_read_are_skipped_and_reported(tmp_path):
    root = make(tmp_path, {".gcloudignore": "!\nnotes.md\\\ntests/\n"})
    upload = upload_set(root)
    assert upload.refusal is None
    assert "notes.md" in upload.files and "tests/test_app.py" not in upload.files
    assert upload.notes == (
        ".gcloudignore line 1: !: not a pattern to gcloud (it is blank once read), skipped",
        ".gcloudignore line 2: notes.md\\: not a pattern to gcloud (it ends in an odd number "
        "of backslashes), skipped",
    )
    verdict = judged(root)
    assert verdict.status == "passed" and upload.notes[0] in verdict.evidence


def test_a_folder_symlink_is_uploaded_empty_and_named(tmp_path):
    shared = make(tmp_path / "shared", {})
    root = make(tmp_path / "tree", {".gcloudignore": "tests/\n"})
    for path in ("src/backend/__init__.py", "src/backend/main.py"):
        (root / path).unlink()
    (root / "src/backend/__pycache__/main.cpython-311.pyc").unlink()
    for folder in ("src/backend/__pycache__", "src/backend", "src"):
        (root / folder).rmdir()
    (root / "src").symlink_to(shared / "src")
    upload = upload_set(root, ["src/"])
    assert upload.links == {"src": str(shared / "src")}
    assert not any(path.startswith("src/") for path in upload.files)
    verdict = judged(root)
    assert verdict.evidence[0] == (
        f"src/: src is a folder symlink (to {shared / 'src'}), which gcloud run deploy --source "
        "does not follow: none of its files is uploaded"
    )


def test_a_broken_symlink_is_not_uploaded(tmp_path):
    root = make(tmp_path, {})
    (root / "gone.txt").symlink_to("nowhere.txt")
    upload = upload_set(root)
    assert "gone.txt" not in upload.files
    assert upload.notes == (
        "gone.txt is a broken symlink (to nowhere.txt): gcloud run deploy --source . skips it "
        "(run from another folder, gcloud fails on it: FileNotFoundError)",
    )


def configuration(folder: Path, name: str, enabled: str) -> Path:
    (folder / "configurations").mkdir(parents=True, exist_ok=True)
    path = folder / "configurations" / f"config_{name}"
    path.write_text(f"[core]\nproject = p\n\n[gcloudignore]\nenabled = {enabled}\n")
    return path


def test_gcloudignore_enabled_false_in_the_active_configuration_uploads_everything(tmp_path):
    root = make(tmp_path / "tree", {".gcloudignore": "*\n", ".git/HEAD": "ref"})
    config = tmp_path / "gcloud"
    configuration(config, "default", "true")
    path = configuration(config, "work", "False")
    (config / "active_config").write_text("work")
    before = {p: p.stat().st_mtime_ns for p in config.rglob("*")}
    upload = upload_set(root, environ={"CLOUDSDK_CONFIG": str(config)})
    assert set(upload.files) == {*TREE, ".gcloudignore", ".git/HEAD"}
    assert upload.rules_from == (
        f"gcloudignore/enabled is 'False' in {path}: gcloud ignores nothing and uploads every file"
    )
    assert {p: p.stat().st_mtime_ns for p in config.rglob("*")} == before  # read, never written


@pytest.mark.parametrize(
    ("environ", "enabled"),
    [
        ({"CLOUDSDK_ACTIVE_CONFIG_NAME": "work"}, False),
        ({"CLOUDSDK_ACTIVE_CONFIG_NAME": "work", "CLOUDSDK_GCLOUDIGNORE_ENABLED": "1"}, True),
        ({"CLOUDSDK_GCLOUDIGNORE_ENABLED": ""}, False),
        ({}, True),
    ],
)
def test_the_environment_comes_before_the_configuration(tmp_path, environ, enabled):
    root = make(tmp_path / "tree", {".gcloudignore": "notes.md\n"})
    config = tmp_path / "gcloud"
    configuration(config, "work", "off")
    upload = upload_set(root, environ={"CLOUDSDK_CONFIG": str(config), **environ})
    assert ("notes.md" not in upload.files) is enabled


def test_without_cloudsdk_config_the_configuration_is_under_home(tmp_path):
    root = make(tmp_path / "tree", {".gcloudignore": "notes.md\n"})
    configuration(tmp_path / "home/.config/gcloud", "default", "no")
    upload = upload_set(root, environ={"HOME": str(tmp_path / "home")})
    assert "notes.md" in upload.files
    assert not (tmp_path / "home/.config/gcloud/active_config").exists()


def test_a_value_gcloud_refuses_for_the_property_fails_the_upload(tmp_path):
    root = make(tmp_path / "tree", {})
    upload = upload_set(root, environ={"CLOUDSDK_GCLOUDIGNORE_ENABLED": "maybe"})
    assert upload.refusal is not None and upload.refusal.rule is None
    assert upload.refusal.message == (
        "ERROR: (gcloud.run.deploy) The [enabled] value [maybe] is not valid. Possible values: "
        "[true, 1, on, yes, y, false, 0, off, no, n, '', none]. (See http://yaml.org/type/bool.html)"
    )
    assert upload.refusal.fix.startswith(
        "make gcloudignore/enabled true or false in the environment variable "
        "CLOUDSDK_GCLOUDIGNORE_ENABLED"
    )


def test_the_machines_environment_is_read_by_default(tmp_path, monkeypatch):
    root = make(tmp_path / "tree", {".gcloudignore": "notes.md\n"})
    monkeypatch.setenv("CLOUDSDK_GCLOUDIGNORE_ENABLED", "false")
    assert "notes.md" in upload_set(root).files
