"""The README tells the truth: every option, every fault, every linked file, the example report."""

from __future__ import annotations

import re

from cloudrun_acceptance.config.options import OPTIONS
from cloudrun_acceptance.sandbox import FAULTS
from tests.paths import REPO

README = (REPO / "README.md").read_text()


def test_every_option_is_in_the_options_table_with_its_env_and_ini_key():
    for spec in OPTIONS:
        env = f"`{spec.env}`" if spec.env else ""
        ini = f"`{spec.dest}`" if spec.ini else ""
        row = re.search(
            rf"^\| `{re.escape(spec.flag)}` \| {re.escape(env)} ?\| {re.escape(ini)} ?\|",
            README,
            re.MULTILINE,
        )
        assert row, spec.flag


def test_every_fault_profile_is_listed():
    listed = set(re.findall(r"^\| `([a-z0-9_]+)` \|", README, re.MULTILINE))
    assert set(FAULTS) <= listed


def test_the_example_report_excerpt_is_copied_from_a_real_report():
    example = (REPO / "docs/example-report.md").read_text()
    excerpt = README[README.index("<details>") : README.index("</details>")]
    # The report's first lines after its title (the summary line stands for it), verbatim.
    body = excerpt.split("\n", 1)[1].strip("\n")
    assert len(body.splitlines()) > 10
    assert example.split("\n", 2)[2].startswith(body + "\n")
    assert "**What to do:**" in body


def test_linked_files_and_make_targets_exist():
    for link in re.findall(r"\]\(((?:docs|bench|src|tests)/[^)#]+|env\.yaml)\)", README):
        assert (REPO / link).exists(), link
    makefile = (REPO / "Makefile").read_text()
    for target in ("demo", "test", "lint", "bench"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target


def test_every_fault_says_whether_it_applies_to_any_service():
    for name, fault in FAULTS.items():
        scope = "any service" if fault.scope == "platform" else "the reference service"
        assert f"| `{name}` | {scope} |" in README, name


def test_the_contract_table_names_every_section_of_the_loader():
    from cloudrun_acceptance.config.contract import SECTIONS

    table = README[
        README.index("**Describing any service.**") : README.index("Unknown keys are errors")
    ]
    assert re.findall(r"^\| `(\w+)`", table, re.MULTILINE) == list(SECTIONS)
