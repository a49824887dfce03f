"""The pre-flight's upload set, held to the real gcloud's: each tree of the table below (every
rule of tests/unit/preflight/test_gcloud_rules.py, several to a tree where they cannot meet, and
more), built in a temporary folder, against `gcloud meta list-files-for-upload DIR`, run with a
throwaway configuration.

`meta list-files-for-upload` and `run deploy` share gcloud's rules
(gcloudignore.GetFileChooserForDir) but not its walk: deploy's (storage_util.Snapshot) enters no
folder symlink and skips broken symlinks, where meta's (FileChooser.GetIncludedFiles) follows
folder symlinks, raises SymlinkLoopError on a loop and crashes on a broken symlink
(os.path.samefile). So gcloud is given the tree without its broken symlinks and looping folder
symlinks, and what it lists under a folder symlink is dropped. A tree gcloud refuses must be one
the pre-flight refuses, in the same words.

gcloud takes ~0.8 s to start, and lists one folder a call: 44 calls, about 20 s on two cores.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cloudrun_acceptance.model.preflight import UploadSet
from cloudrun_acceptance.preflight.upload import upload_set
from tests.unit.preflight.test_gcloud_rules import RULES, Case, Link, build

GCLOUD = shutil.which("gcloud")
META = "gcloud.meta.list-files-for-upload"
DEPLOY = "gcloud.run.deploy"
# Variables of the machine that would change what gcloud reads; the rest (CLOUDSDK_PYTHON) stay.
READS = ("CLOUDSDK_CONFIG", "CLOUDSDK_ACTIVE_CONFIG_NAME", "CLOUDSDK_GCLOUDIGNORE_ENABLED")
WORKERS = 3
RULE_IDS = {case.id for case in RULES}


def tree(id: str, holds: str, ignore: str | None, files: tuple[str, ...], **kw) -> Case:
    """A parity tree; ``holds``: the ids of the rule table's rows it holds, and what else."""
    return Case(id, holds, "gcloud meta list-files-for-upload", ignore, files, **kw)


# fmt: off
PARITY = [
    # How a line is read.
    tree("escapes", "comment escaped-bang escape-is-dropped escaped-backslash "
         "odd-backslashes-are-skipped; a `#!include:` after other words is a comment",
         "#c\n# see #!include:nothing/here\n\\#h\n\\!x\n\\*.md\nb\\\\\nc\\\n",
         ("#h", "!x", "x", "a.md", "*.md", "b\\", "b", "c")),
    tree("spaces", "trailing-spaces escaped-spaces slash-before-spaces only-bang-is-skipped "
         "(`!`, `/`, spaces); tabs are kept", "a.txt   \nb\\ \nlogs/ \na\\ b\nt\t\n!\n/\n   \nz\n",
         ("a.txt", "b", "b ", "logs/x", "a b", "a", "t", "t\t", "z", "d/z")),
    tree("brackets", "bracket-bang-negates bracket-caret-is-literal question-mark",
         "[^a].txt\n[!x].md\n?.py\n", ("a.txt", "^.txt", "b.txt", "x.md", "y.md", "q.py",
                                        "qq.py", "s/r.py")),
    tree("folders-and-names", "folders-only folder-named-like-a-file name-matches-a-folder "
         "negated-folder-is-the-folder-alone", "build/\nmain.py/\ndata.json\n*.log\n!logs/\n",
         ("build/o", "s/build", "main.py/x", "src/main.py", "data.json/p", "t/data.json",
          "logs/a.log", "logs/b.txt", "z")),
    tree("crlf-and-bom", "Windows-style newlines must be removed (Pattern.FromString); read as "
         "UTF-8, a byte order mark is part of the first line", "\ufeffa.txt\r\nb.txt\r\nsub/\r\n",
         ("a.txt", "b.txt", "c.txt", "sub/x")),
    tree("odd-names", "names that are not ASCII, `#` inside a pattern, a leading space, `a//b`, "
         "`./e`", "é*\n!éa.txt\nx#y\n b.txt\nc//d\n./e\n",
         ("éa.txt", "éb.txt", "e.txt", "x#y", "b.txt", " b.txt", "c/d", "e")),
    # How a pattern matches.
    tree("slashes", "no-anchor-on-a-middle-slash leading-slash-anchors",
         "src/main.py\n/a.txt\n", ("src/main.py", "app/src/main.py", "src/o.py", "a.txt",
                                    "sub/a.txt")),
    tree("stars", "star-matches-the-root star-one-level star-reaches-one-character-folders",
         "*/d.txt\n", ("d.txt", "b/d.txt", "b/c/d.txt", "bb/c/d.txt", "bb/d.txt", "e.txt")),
    tree("allow-list", "allow-list star-reaches-one-character-folders-allow-list",
         "*\n!a/\n!ab/\n!src/\n", ("a/f", "ab/f", "src/pkg/m.py", "top.txt")),
    tree("star-slash-star", "`*/*` matches every name at the top too (`*` matches the root)",
         "*/*\n!b/\n", ("a.txt", "b/c", "bb")),
    tree("double-stars", "double-star-anchors double-star-first dir-double-star-matches-dir; "
         "`**` in the middle and at the end, with negations",
         "a/**/b.txt\n**/cache\ndir/**\n!dir/keep.txt\nsrc/**/gen/**\n!src/keep/gen/\n**/*.bak\n",
         ("a/b.txt", "a/x/y/b.txt", "z/a/b.txt", "a/c.txt", "cache/x", "q/cache/y", "q/cachex",
          "dir/keep.txt", "other.txt", "src/a/gen/x.py", "src/gen/y.py", "src/keep/gen/z.py",
          "src/a/ok.py", "n/q.bak", "src/gen.py")),
    tree("double-star-alone", "root-is-not-judged", "**\n!keep.txt\n", ("keep.txt", "s/a.txt")),
    # How a path is judged.
    tree("order", "negation in-order parent-propagates no-reinclusion (at any depth)",
         "*.log\n!keep.log\na.txt\n!a.txt\n!b.txt\nb.txt\nsub/\n!sub/keep.txt\n"
         "a/b/\n!a/b/c/\n!a/b/c/d.txt\n!*.py\n",
         ("x.log", "keep.log", "d/keep.log", "d/y.log", "a.txt", "b.txt", "sub/keep.txt",
          "sub/deep/f", "subway.txt", "a/b/c/d.txt", "a/b/e.py", "a/f.py", "a/g.txt")),
    # Which rules.
    tree("includes", "include include-after-spaces include-one-level; an include of itself",
         "#!include:.one\n#  !include:.two\n#!include:.gcloudignore\n!keep.md\n",
         ("a.md", "b.md", "c.md", "keep.md", "d.md"),
         extra={".one": "#!include:.three\na.md\n", ".two": "b.md\n", ".three": "c.md\n"}),
    tree("nested-ignore-files", "top-gcloudignore-only; an empty .gcloudignore: no rules, .git "
         "uploaded too", "", (".git/HEAD", ".gitignore", "a.txt", "sub/b"),
         extra={"sub/.gcloudignore": "*\n"}),
    tree("no-git-no-rules", "no-git-no-rules", None, ("a.txt", ".hg/store"),
         extra={"sub/.gitignore": "*\n"}),
    tree("git-checkout", "git-folder-default gitignore-is-included nested-gitignore-is-not-read "
         "gitignore-includes-not-followed", None,
         (".git/HEAD", "a.log", "build/x", "src/build/y", "a.txt", "b.txt", "sub/c.txt", "sub/d.log"),
         extra={".gitignore": "*.log\n/build\n#!include:.more\n", ".more": "b.txt\n",
                "sub/.gitignore": "*.txt\n"}),
    tree("service-with-git", "a service's checkout: .git, .gitignore with a venv, caches, .env",
         None, (".git/HEAD", ".git/objects/ab/cd", "src/app/__init__.py", "src/app/main.py",
                "src/app/__pycache__/main.cpython-311.pyc", ".venv/lib/site.py", "tests/t.py",
                "Dockerfile", "requirements.txt", ".env", "web/node_modules/x/index.js",
                "web/app.js", "docs/build/index.html", "docs/src/index.md"),
         extra={".gitignore": "# local\n.venv/\n__pycache__/\n*.py[cod]\n.env\nnode_modules\n"
                              "/docs/build\n!.env.example\n"}),
    tree("service-with-gcloudignore", "a .gcloudignore with comments, an include, negations "
         "and **", "# Only what the build needs\n.gcloudignore\n.git\n#!include:.gitignore\n"
         "tests/\n**/*.md\n!README.md\ndocs/**\n",
         ("README.md", "CHANGES.md", "src/a.md", "src/a.py", "docs/x.txt", "tests/t.py",
          ".git/HEAD", "Dockerfile", "build/out", "src/a.pyc"),
         extra={".gitignore": "*.pyc\nbuild/\n"}),
    tree("gcloudignore-folder-with-git", "an unreadable .gcloudignore (a folder) counts as "
         "none: BadFileError", None, (".gcloudignore/x", ".git/HEAD", "a.txt")),
    tree("gcloudignore-folder-without-git", "the same without git files: every file", None,
         (".gcloudignore/x", "a.txt")),
    tree("gitignore-symlink", "a .gitignore that is a symlink is read through it", None,
         ("a.txt", "b.txt", "conf/ignore"),
         extra={".gitignore": Link("conf/ignore"), "conf/ignore": "a.txt\n"}),
    tree("git-file-and-broken-gitignore", "git-file-default; a broken .gitignore does not "
         "exist (os.path.exists)", None, ("a.txt",),
         extra={".git": "gitdir: ../x/.git\n", ".gitignore": Link("nowhere")}),
    tree("disabled", "disabled (gcloud config set gcloudignore/enabled false)",
         "*\n#!include:gone/x\n", (".git/HEAD", "a.txt"),
         config={"gcloudignore/enabled": "false"}),
    # What gcloud refuses.
    tree("include-missing", "include-missing", "#!include:.missing\n", ("a.txt",)),
    tree("include-space-after-colon", "include-space-after-colon; spaces after the name too",
         "#!include: .gitignore\n", ("a.txt",), extra={".gitignore": "a.txt\n"}),
    tree("include-subfolder", "include-subfolder", "#!include:conf/ignore\n", ("conf/ignore",)),
    tree("include-subfolder-in-an-included-file", "include-subfolder-in-an-included-file",
         "#!include:.one\n", ("a.txt",), extra={".one": "#!include:conf/x\n"}),
    tree("include-no-name", "include-no-name", "#!include:\n", ("a.txt",)),
    tree("gitignore-folder", "gitignore-folder", None, ("a.txt", ".gitignore/x")),
    tree("not-utf8", "a .gcloudignore that is not UTF-8 crashes gcloud (files.ReadFileContents)",
         None, ("a.txt",), extra={".gcloudignore": b"a.txt\n\xff\n"}),
    tree("included-not-utf8", "so does an included file", "#!include:.more\n", ("a.txt",),
         extra={".more": b"\xfe\n"}),
    # How run deploy walks.
    tree("symlinks", "broken-symlink folder-symlink file-symlink; a folder symlink left out by a "
         "rule, one out of the tree, loops", "hidden/\nskipped/\n*.log\n",
         ("a.txt", "hidden/f.txt", "real/f.txt", "outside/g.txt"),
         extra={"gone": Link("nowhere"), "sub/gone": Link("../nowhere"), "x.log": Link("no"),
                "f-link": Link("hidden/f.txt"), "link": Link("real"), "skipped": Link("real"),
                "in/out": Link("../outside"), "loop": Link("."), "sub/up": Link("..")}),
]
# fmt: on


# gcloudignore/enabled, set in the throwaway configuration's files or the environment.
CREDENTIALS_OFF = "[auth]\ndisable_credentials = true\n"
PROPERTY_TREE = Case("property", "", "", "a.txt\n", ("a.txt", "b.txt"))
PROPERTIES = {
    "false": ({"config_default": "false"}, {}),
    "none": ({"config_default": "none"}, {}),
    "empty": ({"config_default": ""}, {}),
    "True": ({"config_default": "True"}, {}),
    "invalid": ({"config_default": "maybe"}, {}),
    "environment-first": ({"config_default": "true"}, {"CLOUDSDK_GCLOUDIGNORE_ENABLED": "off"}),
    "environment-empty": ({"config_default": "true"}, {"CLOUDSDK_GCLOUDIGNORE_ENABLED": ""}),
    "active-configuration": ({"config_other": "false", "active_config": "other"}, {}),
    "configuration-named-in-the-environment": (
        {"config_other": "false"},
        {"CLOUDSDK_ACTIVE_CONFIG_NAME": "other"},
    ),
}


@dataclass(frozen=True)
class Job:
    """A tree, the files written into its throwaway configuration, the environment."""

    case: Case
    config_files: Mapping[str, str] = field(default_factory=dict)
    env: Mapping[str, str] = field(default_factory=dict)


JOBS = {
    **{case.id: Job(case) for case in PARITY},
    **{f"enabled-{k}": Job(PROPERTY_TREE, files, env) for k, (files, env) in PROPERTIES.items()},
}


@dataclass(frozen=True)
class Seen:
    """What gcloud printed for a tree, and the folder symlinks that were in it."""

    code: int
    listed: frozenset[str]
    stderr: str
    links: frozenset[str] = field(default_factory=frozenset)


def gcloud(args: list[str], config: Path, cwd: Path, env: Mapping[str, str] | None = None):
    environ = {k: v for k, v in os.environ.items() if k not in READS}
    environ.update(CLOUDSDK_CONFIG=str(config), CLOUDSDK_CORE_DISABLE_PROMPTS="1", **(env or {}))
    assert GCLOUD is not None
    return subprocess.run(
        [GCLOUD, *args],
        env=environ,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def prepare_for_meta(root: Path) -> frozenset[str]:
    """Remove what meta cannot list but deploy walks past (broken symlinks, looping folder
    symlinks); the folder symlinks left, whose files meta lists and deploy does not upload."""
    links: set[str] = set()
    for folder, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            full = Path(folder, name)
            if not full.is_symlink():
                continue
            if not full.exists():
                full.unlink()
            elif full.is_dir():
                links.add(full.relative_to(root).as_posix())
                if Path(folder).resolve().is_relative_to(full.resolve()):
                    full.unlink()
    return frozenset(links)


def under_a_link(path: str, links: frozenset[str]) -> bool:
    return any(path.startswith(f"{link}/") for link in links)


@pytest.fixture(scope="module")
def base_config(tmp_path_factory):
    """A throwaway gcloud configuration: credentials off, nothing else."""
    if GCLOUD is None:
        pytest.skip("gcloud is not installed")
    config = tmp_path_factory.mktemp("gcloud-config")
    done = gcloud(["config", "set", "auth/disable_credentials", "true"], config, config)
    assert done.returncode == 0, done.stderr
    return config


def run_job(name: str, base_config: Path, work: Path) -> tuple[UploadSet, Seen]:
    """Build the job's tree, compute its upload set, then ask gcloud."""
    job = JOBS[name]
    config = shutil.copytree(base_config, work / name / "gcloud-config")
    for key, value in job.case.config.items():
        done = gcloud(["config", "set", key, value], config, config)
        assert done.returncode == 0, done.stderr
    for file, value in job.config_files.items():
        if file == "active_config":
            (config / file).write_text(value)
        else:
            text = f"{CREDENTIALS_OFF}[gcloudignore]\nenabled = {value}\n"
            (config / "configurations" / file).write_text(text)
    root = build(work / name / "tree", job.case)
    ours = upload_set(root, environ={"CLOUDSDK_CONFIG": str(config), **job.env})
    links = prepare_for_meta(root)
    done = gcloud(["meta", "list-files-for-upload", str(root)], config, work / name, job.env)
    listed = frozenset(done.stdout.splitlines()) if done.returncode == 0 else frozenset()
    return ours, Seen(done.returncode, listed, done.stderr, links)


def job_of(item: pytest.Item) -> str | None:
    params = getattr(item, "callspec", None)
    if params is None or item.module is None or item.module.__name__ != __name__:
        return None
    if "case" in params.params:
        return str(params.params["case"].id)
    return f"enabled-{params.params['name']}"


@pytest.fixture(scope="module")
def results(request, base_config, tmp_path_factory):
    """Each job's upload set and gcloud's listing, by name. gcloud takes ~0.8 s to start: in a
    plain run the selected jobs start at once, WORKERS at a time; on an xdist worker, which
    runs a share of the tests, each job runs when its test asks for it."""
    work = tmp_path_factory.mktemp("parity")
    pool = ThreadPoolExecutor(WORKERS)
    futures: dict[str, Future[tuple[UploadSet, Seen]]] = {}
    if not hasattr(request.config, "workerinput"):
        for name in filter(None, map(job_of, request.session.items)):
            futures.setdefault(name, pool.submit(run_job, name, base_config, work))

    def result(name: str) -> tuple[UploadSet, Seen]:
        if name not in futures:
            futures[name] = pool.submit(run_job, name, base_config, work)
        return futures[name].result()

    yield result
    pool.shutdown(cancel_futures=True)


def same_as_gcloud(ours: UploadSet, seen: Seen, case: Case) -> None:
    if seen.code != 0:
        assert ours.refusal is not None, f"gcloud failed, the pre-flight did not:\n{seen.stderr}"
        assert ours.refusal.message.replace(DEPLOY, META) in seen.stderr.splitlines()
        return
    assert ours.refusal is None, f"the pre-flight refuses, gcloud did not: {ours.refusal}"
    uploaded = {path for path in seen.listed if not under_a_link(path, seen.links)}
    assert set(ours.files) == uploaded, f"{case.rule} ({case.source})"
    entered = {link for link in seen.links if any(p.startswith(f"{link}/") for p in seen.listed)}
    assert entered <= set(ours.links)  # gcloud's rules take them: deploy uploads them empty


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in PARITY])
def test_upload_set_is_gclouds(results, case):
    same_as_gcloud(*results(case.id), case)


@pytest.mark.parametrize("name", list(PROPERTIES))
def test_gcloudignore_enabled_is_read_as_gcloud_reads_it(results, name):
    same_as_gcloud(*results(f"enabled-{name}"), PROPERTY_TREE)


def test_the_tables_hold_refusals_followed_links_and_the_property(results):
    """The tables hold what they say: trees gcloud refuses, a folder symlink that meta follows
    (and deploy does not), the property turning the rules off."""
    for refused in ("include-subfolder", "not-utf8", "enabled-invalid"):
        assert results(refused)[1].code != 0, refused
    ours, seen = results("symlinks")
    assert "link/f.txt" in seen.listed and "link/f.txt" not in ours.files and "link" in ours.links
    assert (
        "skipped" in seen.links
        and str(ours.excluded["skipped/"]) == ".gcloudignore line 2: skipped/"
    )
    ours, seen = results("enabled-false")
    assert seen.listed == {".gcloudignore", "a.txt", "b.txt"} == set(ours.files)


def test_the_parity_trees_hold_every_rule_of_the_rule_table():
    """Each row of the rule table is named by a tree here (several rows share a tree)."""
    held = {word for case in PARITY for word in re.findall(r"[a-z0-9-]+", case.rule)}
    assert RULE_IDS - held == set()
