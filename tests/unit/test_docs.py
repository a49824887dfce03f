"""The README and the documentation site tell the truth: every option, contract key, fixture and
fault profile has its reference entry, every link leads somewhere, the excerpts are copied from
real output, and the README stays short."""

from __future__ import annotations

import argparse
import re

from cloudrun_acceptance.config.compare import COMPARE_KEYS
from cloudrun_acceptance.config.contract import SECTIONS
from cloudrun_acceptance.config.options import OPTIONS
from cloudrun_acceptance.config.rollout import ROLLOUT_KEYS
from cloudrun_acceptance.model.exposition import COUNTING_SAMPLES
from cloudrun_acceptance.sandbox import FAULTS
from cloudrun_acceptance.scaffold.cli import build_parser
from cloudrun_acceptance.scaffold.families import LIBRARY_PREFIXES
from docsgen.pages import reference_pages
from tests.paths import REPO
from tests.public_surface import fixture_names

README = (REPO / "README.md").read_text()
DOCS = REPO / "docs"
PAGES = reference_pages()
# Words that tell the software's history instead of describing it.
HISTORY = re.compile(r"\b(no longer|as before|used to be|until now|the old)\b", re.IGNORECASE)


def test_the_readme_is_short():
    assert len(README.splitlines()) <= 200


def test_every_option_has_its_row_with_its_environment_variable_and_ini_key():
    page = PAGES["reference/options.md"]
    for spec in OPTIONS:
        env = f"`{spec.env}`" if spec.env else ""
        ini = f"`{spec.ini_key}`" if spec.ini else ""
        found = re.search(rf"^##+ `{re.escape(spec.flag)}[ `]", page, re.MULTILINE)
        assert found, spec.flag
        entry = page[found.start() :].split("\n#", 1)[0]
        assert (f"- Environment: {env}\n" in entry) == bool(env), spec.flag
        assert (f"- pytest.ini: {ini}\n" in entry) == bool(ini), spec.flag
        if spec.ini:
            row = next(r for r in PAGES["reference/ini.md"].splitlines() if f"`{spec.flag}`" in r)
            assert row.startswith(f"| `{spec.ini_key}` | `{spec.flag}` |"), spec.flag
            old = f"`{spec.old_ini_key}`" if spec.old_ini_key else ""
            assert row.endswith(f"| {old} |"), spec.flag
        if spec.env:
            assert f"| `{spec.env}` |" in PAGES["reference/environment.md"], spec.env


def test_every_contract_section_and_key_has_its_row():
    page = PAGES["reference/contract.md"]
    assert re.findall(r"^## `(\w+)`", page, re.MULTILINE) == list(SECTIONS)
    for key in (*(f"compare.{k}" for k in COMPARE_KEYS), *(f"rollout.{k}" for k in ROLLOUT_KEYS)):
        assert f"| `{key}` |" in page, key


def test_every_public_fixture_has_its_entry_with_its_docstring():
    page = PAGES["reference/fixtures.md"]
    for name in fixture_names():
        assert re.search(rf"^### `{name}`", page, re.MULTILINE), name
    assert "The HTTP client of the service under test" in page


def test_every_fault_profile_has_its_row_saying_whether_it_applies_to_any_service():
    page = PAGES["reference/faults.md"]
    for name, fault in FAULTS.items():
        scope = "any service" if fault.scope == "platform" else "the reference service"
        assert f"| `{name}` | {scope} |" in page, name


def test_the_rollout_guides_table_gives_the_loaders_defaults():
    page = (DOCS / "how-to/rollout.md").read_text()
    reference = PAGES["reference/contract.md"]
    rows = re.findall(r"^\| `(\w+)` \| `([^`]+)` \|", page, re.MULTILINE)
    assert len(rows) == 14
    for key, default in rows:
        found = re.search(
            rf"^\| `rollout\.{key}` \| [^|]+ \| `([^`]+)` \|", reference, re.MULTILINE
        )
        assert found, key
        assert _same(found.group(1), default), (key, found.group(1), default)


def _same(written: str, stated: str) -> bool:
    try:
        return float(written) == float(stated)
    except ValueError:
        return written == stated


def test_the_adopt_guide_names_every_section_of_the_loader():
    page = (DOCS / "how-to/adopt.md").read_text()
    table = page[page.index("**Describing any service.**") : page.index("Unknown keys are errors")]
    assert re.findall(r"^\| `(\w+)`", table, re.MULTILINE) == list(SECTIONS)


def test_the_example_report_excerpt_is_copied_from_a_real_report():
    example = (DOCS / "example-report.md").read_text()
    page = (DOCS / "reference/reports.md").read_text()
    excerpt = page[page.index("<details markdown") : page.index("</details>")]
    # The report's first lines after its title (the summary line stands for it), verbatim.
    body = excerpt.split("\n", 1)[1].strip("\n")
    assert len(body.splitlines()) > 10
    assert example.split("\n", 2)[2].startswith(body + "\n")
    assert "**What to do:**" in body


def test_the_readmes_links_and_make_targets_exist():
    for link in re.findall(r"\]\(([^)#:]+)\)", README):
        assert (REPO / link).exists(), link
    makefile = (REPO / "Makefile").read_text()
    for target in ("demo", "test", "lint", "bench", "docs"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target


def test_the_docs_describe_the_software_not_its_history():
    pages = [REPO / "README.md", *DOCS.rglob("*.md")]
    found = [
        f"{path.relative_to(REPO)}: {match.group(0)}"
        for path in pages
        for match in HISTORY.finditer(path.read_text())
    ]
    assert found == []


def test_every_option_of_init_and_upgrade_has_its_entry_in_the_command_reference():
    page = PAGES["reference/cli.md"]
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name in ("init", "upgrade"):
        section = page[page.index(f"\n## `{name}`\n") :].split("\n## ", 2)[1]
        for action in commands.choices[name]._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            written = action.option_strings[0] if action.option_strings else action.metavar
            found = re.search(rf"^#### `{re.escape(str(written))}[ `].*\n\n(.+)", section, re.M)
            assert found, (name, written)
            assert found.group(1) == " ".join(str(action.help).split()), (name, written)
    assert "#### `--rescrape-after SECONDS`" in page
    assert "every argument after `verify` goes to pytest" in page.lower()


def test_the_counter_keys_say_which_samples_count_and_a_cache_without_counters():
    page = PAGES["reference/contract.md"]
    for section in ("analysis", "cache"):
        note = re.search(rf"^- `{section}\.counters\[\]\.metric`: (.+)$", page, re.M)
        assert note, section
        for suffixes in COUNTING_SAMPLES.values():
            assert all(f"`x{suffix}`" in note.group(1) for suffix in suffixes), section
        assert "`x_created` is a timestamp" in note.group(1)
        assert "counts from 0" in note.group(1)
    assert "- `cache.counters`: without any, the cache check judges the budget alone" in page


def test_the_adopt_guide_names_every_library_prefix_the_draft_comments_out():
    page = (DOCS / "how-to/adopt.md").read_text()
    walk = page[page.index("### Drafting from a running service") :]
    assert all(f"`{prefix}`" in walk for prefix in LIBRARY_PREFIXES)
