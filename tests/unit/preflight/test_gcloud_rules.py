"""gcloud's rules for the upload of `gcloud run deploy --source`, one row each, in the words of
gcloud 528's source (/usr/lib/google-cloud-sdk/lib/googlecloudsdk/): command_lib/util/glob.py
and gcloudignore.py for the patterns, api_lib/storage/storage_util.py (Snapshot, which run
deploy's upload uses) for the walk, core/properties.py for gcloudignore/enabled.

Each row is a small source tree and the exact set of files gcloud uploads from it (or its
refusal). tests/integration/test_upload_parity.py holds every row to the real gcloud too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cloudrun_acceptance.model.preflight import Rule
from cloudrun_acceptance.preflight.patterns import Pattern, read_line
from cloudrun_acceptance.preflight.upload import upload_set

GI = ".gcloudignore"


@dataclass(frozen=True)
class Link:
    """A symlink to ``target`` (relative to the link's folder)."""

    target: str


@dataclass(frozen=True)
class Case:
    """A tree: its .gcloudignore (None: none), its other files (content "x"), files with other
    content, and what gcloud uploads from it, or its refusal ({root}: the tree's path)."""

    id: str
    rule: str  # the rule, as gcloud's source words it
    source: str  # where
    ignore: str | None
    files: tuple[str, ...]
    uploaded: frozenset[str] = frozenset()
    extra: Mapping[str, str | bytes | Link] = field(default_factory=dict)
    refusal: str = ""
    config: Mapping[str, str] = field(default_factory=dict)  # gcloud properties: {"s/k": "v"}


def build(root: Path, case: Case) -> Path:
    """The tree of ``case`` at ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    entries: dict[str, str | bytes | Link] = dict.fromkeys(case.files, "x")
    if case.ignore is not None:
        entries[GI] = case.ignore
    entries.update(case.extra)
    for path, content in entries.items():
        full = root / path
        if path.endswith("/"):
            full.mkdir(parents=True, exist_ok=True)
            continue
        full.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Link):
            full.symlink_to(content.target)
        elif isinstance(content, bytes):
            full.write_bytes(content)
        else:
            full.write_text(content)
    return root


def write_config(folder: Path, properties: Mapping[str, str]) -> Path:
    """A gcloud configuration folder whose default configuration sets ``properties``."""
    lines: list[str] = []
    for section in sorted({key.split("/")[0] for key in properties}):
        lines.append(f"[{section}]")
        lines += [
            f"{k.split('/')[1]} = {v}" for k, v in properties.items() if k.startswith(section)
        ]
    (folder / "configurations").mkdir(parents=True, exist_ok=True)
    (folder / "configurations" / "config_default").write_text("\n".join(lines) + "\n")
    return folder


def up(*paths: str) -> frozenset[str]:
    return frozenset(paths)


GLOB = "glob.py Glob.FromString"
HELPER = "glob.py Glob._MatchesHelper"
CHOOSER = "gcloudignore.py FileChooser"
FOR_DIR = "gcloudignore.py GetFileChooserForDir"
SNAPSHOT = "storage_util.py Snapshot"
NO_FILE = "[Errno 2] No such file or directory"

# fmt: off
RULES = [
    # How a line is read.
    Case("comment", "lines beginning with '#' are comments", f"{CHOOSER}.FromString",
         "#a.txt\n\\#b.txt\n", ("a.txt", "#b.txt"), up(GI, "a.txt")),
    Case("only-bang-is-skipped", "Ignore invalid lines: `!` alone, `/` alone, spaces: "
         "'Line [{}] is blank.'", f"{CHOOSER}.FromString, {GLOB}",
         "!\n/\n   \n", ("a.txt", "b/c"), up(GI, "a.txt", "b/c")),
    Case("odd-backslashes-are-skipped", "Line [{}] ends in an odd number of [\\]s.", GLOB,
         "a.txt\\\n", ("a.txt",), up(GI, "a.txt")),
    Case("escaped-backslash", "An escaped backslash turns into one backslash",
         "glob.py _Unescape", "b.txt\\\\\n", ("b.txt\\", "b.txt"), up(GI, "b.txt")),
    Case("escape-is-dropped", "any other escaped character is ignored: `\\*` is a wildcard "
         "again, every backslash is gone before matching", "glob.py _Unescape",
         "\\*.txt\n", ("a.txt", "*.txt", "a.md"), up(GI, "a.md")),
    Case("escaped-bang", "any other escaped character is ignored: `\\!x` is the name !x",
         "glob.py _Unescape", "\\!x\n", ("!x", "x"), up(GI, "x")),
    Case("trailing-spaces", "trailing spaces (which are stripped unless escaped)",
         "glob.py _HandleSpaces", "a.txt   \nb\\ \n", ("a.txt", "b", "b "), up(GI, "b")),
    Case("escaped-spaces", "escaped spaces throughout the line (which are unescaped)",
         "glob.py _HandleSpaces", "a\\ b\n", ("a b", "a", "b"), up(GI, "a", "b")),
    Case("slash-before-spaces", "the trailing `/` is taken off first, then the spaces: `logs/ ` "
         "keeps its slash and matches nothing", GLOB, "logs/ \n", ("logs/a.txt",),
         up(GI, "logs/a.txt")),
    Case("folders-only", "must_be_dir: bool, true if only dirs match.", "glob.py Glob",
         "build/\n", ("build/out.bin", "sub/build"), up(GI, "sub/build")),
    Case("folder-named-like-a-file", "is_dir: bool, whether the path is a directory: `main.py/` "
         "is the folder main.py", f"{CHOOSER}.IsIncluded", "main.py/\n",
         ("main.py/x", "src/main.py"), up(GI, "src/main.py")),
    Case("name-matches-a-folder", "a pattern without a trailing `/` matches folders and files",
         "glob.py Glob.Matches", "data.json\n", ("data.json/part1", "sub/data.json", "a"),
         up(GI, "a")),
    # How a pattern matches a path.
    Case("no-anchor-on-a-middle-slash", "It checks that the right-most pattern part matches the "
         "right-most path part, and that the remaining pattern matches the remaining path. "
         "(We've reached the end of the pattern! Success.)", HELPER, "src/main.py\n",
         ("src/main.py", "app/src/main.py", "src/other.py"), up(GI, "src/other.py")),
    Case("leading-slash-anchors", "Distinguish between '*' and '/*'. The former should match '' "
         "(the root directory) but the latter should not.", HELPER, "/a.txt\n",
         ("a.txt", "sub/a.txt"), up(GI, "sub/a.txt")),
    Case("star-matches-the-root", "The former should match '' (the root directory): `*/b.txt` "
         "matches b.txt at the top", HELPER, "*/b.txt\n", ("b.txt", "c.txt"), up(GI, "c.txt")),
    Case("star-one-level", "'*/bar' should match 'foo/bar', but not 'foo/qux/bar'.", HELPER,
         "*/b.txt\n", ("foo/b.txt", "foo/qux/b.txt"), up(GI, "foo/qux/b.txt")),
    Case("star-reaches-one-character-folders", "a '*' at the beginning of a pattern: gcloud "
         "tests the length of the rest of the path (`len(remaining_path) > 1`), so `x/y/b.txt` "
         "matches `*/b.txt`", HELPER, "*/b.txt\n", ("x/y/b.txt", "xx/y/b.txt"),
         up(GI, "xx/y/b.txt")),
    Case("star-reaches-one-character-folders-allow-list", "the same with `*` alone: a/f is "
         "matched, ab/f is not", HELPER, "*\n!a/\n!ab/\n", ("a/f", "ab/f"), up("ab/f")),
    Case("double-star-anchors", "'**' patterns only match against the full path (essentially, "
         "they have an implicit '/' at the front of the pattern)", HELPER, "a/**/b.txt\n",
         ("a/b.txt", "a/x/y/b.txt", "z/a/b.txt", "a/c.txt"), up(GI, "z/a/b.txt", "a/c.txt")),
    Case("double-star-first", "`**/NAME` matches at any depth", HELPER, "**/cache\n",
         ("cache/x", "a/b/cache/y", "a/cachex"), up(GI, "a/cachex")),
    Case("dir-double-star-matches-dir", "if we have `<pattern>/**` as a pattern and `foo/bar` as "
         "our path, if any of ``, `foo`, and `foo/bar` match `<pattern>`, we return true: "
         "`dir/**` matches dir itself", HELPER, "dir/**\n!dir/keep.txt\n",
         ("dir/keep.txt", "dir/a.txt", "other.txt"), up(GI, "other.txt")),
    Case("bracket-bang-negates", "fnmatch.fnmatch: [!seq] matches any character not in seq",
         HELPER, "[!a].txt\n", ("a.txt", "b.txt"), up(GI, "a.txt")),
    Case("bracket-caret-is-literal", "fnmatch.fnmatch: only `!` negates in a bracket; [^a] "
         "matches ^ or a", HELPER, "[^a].txt\n", ("a.txt", "^.txt", "b.txt"), up(GI, "b.txt")),
    Case("question-mark", "fnmatch.fnmatch: ? matches one character of a name", HELPER,
         "?.txt\n", ("a.txt", "ab.txt", "sub/c.txt"), up(GI, "ab.txt")),
    # How a path is judged.
    Case("negation", "If it matches a string, will return Match.IGNORE (or Match.INCLUDE if "
         "negated).", "gcloudignore.py Pattern", "*.log\n!keep.log\n",
         ("a.log", "keep.log", "sub/keep.log", "sub/b.log"), up(GI, "keep.log", "sub/keep.log")),
    Case("in-order", "the method goes through pattern-by-pattern in-order", f"{CHOOSER}.IsIncluded",
         "a.txt\n!a.txt\n!b.txt\nb.txt\n", ("a.txt", "b.txt"), up(GI, "a.txt")),
    Case("parent-propagates", "any matches of a parent directory on a particular pattern "
         "propagate to its children", f"{CHOOSER}.IsIncluded", "sub\n",
         ("sub/deep/f.txt", "subway.txt"), up(GI, "subway.txt")),
    Case("no-reinclusion", "if a parent directory is ignored, its children cannot be "
         "re-included", f"{CHOOSER}.IsIncluded", "sub/\n!sub/keep.txt\n",
         ("sub/keep.txt", "x.txt"), up(GI, "x.txt")),
    Case("negated-folder-is-the-folder-alone", "is_dir: a negated folder pattern (`!logs/`) "
         "matches the folder, not the files in it", f"{CHOOSER}.IsIncluded", "*.log\n!logs/\n",
         ("logs/a.log", "logs/b.txt"), up(GI, "logs/b.txt")),
    Case("allow-list", "a '*' at the beginning of a pattern does not match a part with a '/' "
         "in it: `*` then `!src/` uploads all of src/", HELPER, "*\n!src/\n",
         ("src/pkg/main.py", "notes.md"), up("src/pkg/main.py")),
    Case("root-is-not-judged", "root dir can't be matched", f"{CHOOSER}.IsIncluded",
         "**\n!keep.txt\n", ("keep.txt", "sub/a.txt"), up("keep.txt")),
    # Which rules.
    Case("top-gcloudignore-only", "Use .gcloudignore file in the top-level directory.", FOR_DIR,
         "a.txt\n", ("a.txt", "sub/b.txt"), up(GI, "sub/.gcloudignore", "sub/b.txt"),
         extra={"sub/.gcloudignore": "*\n"}),
    Case("no-git-no-rules", "If the creation predicate evaluates to false, returned FileChooser "
         "will choose all files.", FOR_DIR, None, ("a.txt", ".hg/store"),
         up("a.txt", ".hg/store", "sub/.gitignore"), extra={"sub/.gitignore": "*\n"}),
    Case("git-folder-default", "By default .gcloudignore file will be created if and only if the "
         "directory contains .gitignore file or .git directory.", FOR_DIR, None,
         (".git/HEAD", "a.txt"), up("a.txt")),
    Case("git-file-default", "AnyFileOrDirExists: a `.git` file (a worktree's) counts too",
         FOR_DIR, None, ("a.txt",), up("a.txt"), extra={".git": "gitdir: ../main/.git\n"}),
    Case("gitignore-is-included", "include_gitignore determines whether the generated "
         ".gcloudignore will include the user's .gitignore if one exists.", FOR_DIR, None,
         ("a.log", "build/x", "src/build/y", "a.txt"), up("a.txt", "src/build/y"),
         extra={".gitignore": "*.log\n/build\n"}),
    Case("nested-gitignore-is-not-read", "the generated .gcloudignore includes the top "
         ".gitignore (`#!include:.gitignore`) alone; its `.gitignore` line leaves out the others",
         FOR_DIR, None, ("sub/a.txt", "sub/b.log"), up("sub/a.txt"),
         extra={".gitignore": "*.log\n", "sub/.gitignore": "*.txt\n"}),
    Case("include", '"#!include" directives (which insert the entries of the given '
         '.gitignore-style file at that point)', "gcloudignore.py DEFAULT_IGNORE_FILE",
         "#!include:.dockerignore\n!keep.md\n", ("a.md", "keep.md"),
         up(GI, ".dockerignore", "keep.md"), extra={".dockerignore": "*.md\n"}),
    Case("include-after-spaces", "line[1:].lstrip().startswith('!include:'): `#  !include:` is "
         "a directive too", f"{CHOOSER}.FromString", "#  !include:.dockerignore\n",
         ("a.md", "b.txt"), up(GI, ".dockerignore", "b.txt"), extra={".dockerignore": "*.md\n"}),
    Case("include-one-level", "1 means to respect the directives, but *not* in any "
         '"#!include"d files', f"{CHOOSER}.FromString", "#!include:.one\n", ("a.txt", "b.txt"),
         up(GI, ".one", ".two", "b.txt"), extra={".one": "#!include:.two\na.txt\n",
                                                  ".two": "b.txt\n"}),
    Case("gitignore-includes-not-followed", "the .gitignore is included with recurse=0: its "
         "`#!include:` lines are not followed", FOR_DIR, None, ("a.txt", "b.txt"),
         up(".more", "a.txt"), extra={".gitignore": "#!include:.more\nb.txt\n",
                                      ".more": "a.txt\n"}),
    Case("disabled", "If False, turn off the gcloudignore mechanism entirely and upload all "
         "files.", "properties.py gcloudignore/enabled", "*\n#!include:gone/x\n",
         (".git/HEAD", "a.txt"), up(GI, ".git/HEAD", "a.txt"),
         config={"gcloudignore/enabled": "false"}),
    # What gcloud refuses.
    Case("include-missing", "BadIncludedFileError: if a file being included does not exist",
         f"{CHOOSER}._GetIncludedPatterns", "#!include:.missing\n", ("a.txt",),
         refusal=f"Could not read ignore file [{{root}}/.missing]: Unable to read file "
         f"[{{root}}/.missing]: {NO_FILE}: '{{root}}/.missing'"),
    Case("include-space-after-colon", "included_file = line[start_idx + len(...):]: a space "
         "after the colon is part of the name", f"{CHOOSER}._GetIncludedPatterns",
         "#!include: .gitignore\n", ("a.txt",), extra={".gitignore": "a.txt\n"},
         refusal=f"Could not read ignore file [{{root}}/ .gitignore]: Unable to read file "
         f"[{{root}}/ .gitignore]: {NO_FILE}: '{{root}}/ .gitignore'"),
    Case("include-subfolder", "May only include files in the same directory.",
         f"{CHOOSER}._GetIncludedPatterns", "#!include:conf/ignore\n", ("conf/ignore",),
         refusal="May only include files in the same directory."),
    Case("include-subfolder-in-an-included-file", "the same directory check comes before "
         "`if not recurse`: it holds in an included file too", f"{CHOOSER}._GetIncludedPatterns",
         "#!include:.one\n", ("a.txt",), extra={".one": "#!include:conf/x\n"},
         refusal="May only include files in the same directory."),
    Case("include-no-name", "an empty name is the folder itself, which cannot be read",
         f"{CHOOSER}._GetIncludedPatterns", "#!include:\n", ("a.txt",),
         refusal="Could not read ignore file [{root}/]: Unable to read file [{root}/]: "
         "[Errno 21] Is a directory: '{root}/'"),
    Case("gitignore-folder", "the generated .gcloudignore includes .gitignore when it exists "
         "(os.path.exists), a folder too", FOR_DIR, None, ("a.txt", ".gitignore/x"),
         refusal="Could not read ignore file [{root}/.gitignore]: Unable to read file "
         "[{root}/.gitignore]: [Errno 21] Is a directory: '{root}/.gitignore'"),
    # How run deploy walks.
    Case("broken-symlink", "The file is a broken symlink; ignore it.", SNAPSHOT, None,
         ("a.txt",), up("a.txt"), extra={"gone": Link("nowhere")}),
    Case("folder-symlink", "os.walk(src_dir), without followlinks: a folder symlink is listed, "
         "not entered", SNAPSHOT, None, ("real/f.txt",), up("real/f.txt"),
         extra={"link": Link("real")}),
    Case("file-symlink", "FileMetadata: a file symlink is uploaded (by its own path, even into "
         "a folder left out)", SNAPSHOT, "hidden/\n", ("hidden/f.txt",), up(GI, "f-link"),
         extra={"f-link": Link("hidden/f.txt")}),
]
# fmt: on


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in RULES])
def test_gcloud_rule(tmp_path, case):
    root = build(tmp_path / "tree", case)
    config = write_config(tmp_path / "gcloud", case.config)
    upload = upload_set(root, environ={"CLOUDSDK_CONFIG": str(config)})
    if case.refusal:
        assert upload.refusal is not None, sorted(upload.files)
        expected = case.refusal.replace("{root}", str(root))
        assert upload.refusal.message == f"ERROR: (gcloud.run.deploy) {expected}"
    else:
        assert upload.refusal is None, upload.refusal
        assert set(upload.files) == case.uploaded, f"{case.rule} ({case.source})"


def test_every_row_names_its_rule_and_where_it_is():
    assert len({case.id for case in RULES}) == len(RULES)
    assert all(case.rule and case.source for case in RULES)


def pattern(line: str) -> Pattern:
    read = read_line(Rule(GI, 1, line))
    assert isinstance(read, Pattern), read
    return read


@pytest.mark.parametrize(
    ("line", "path", "is_dir", "matches"),
    [
        # `*` at the front: the top name, or a name below a one-character folder.
        ("*", "ab", False, True),
        ("*", "ab/c", False, False),
        ("*", "a/c", False, True),
        ("*/c", "ab/x/c", False, False),
        ("*/c", "a/x/c", False, True),
        # `**`: the parts before it match from the top, against any prefix, the path itself too.
        ("a/**", "a", True, True),
        ("a/**", "x/a", True, False),
        ("**", "a/b/c", False, True),
        ("a/**/c", "a/c", False, True),
        ("a/**/c", "a/b/b/c", False, True),
        # Folders only, and a trailing slash read before trailing spaces.
        ("a/", "a", False, False),
        ("a/", "a", True, True),
        ("a/ ", "a", True, False),
        # Escapes: all removed before fnmatch reads the pattern.
        ("\\*", "anything", False, True),
        ("\\[a]", "a", False, True),
        ("a\\\\", "a\\", False, True),
        ("\\ a", " a", False, True),
        # A middle slash does not anchor; a leading one does.
        ("b/c", "a/b/c", False, True),
        ("/b/c", "a/b/c", False, False),
        ("a//b", "a/b", False, False),
    ],
)
def test_pattern_matches_as_gclouds_glob(line, path, is_dir, matches):
    names = path.split("/")
    assert pattern(line).matches(names, len(names), is_dir) is matches


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("!", "it is blank once read"),
        ("/", "it is blank once read"),
        ("   ", "it is blank once read"),
        ("a\\", "it ends in an odd number of backslashes"),
        ("a\\\\\\", "it ends in an odd number of backslashes"),
    ],
)
def test_invalid_lines_are_skipped(line, reason):
    read = read_line(Rule(GI, 1, line))
    assert not isinstance(read, Pattern) and read.reason == reason
