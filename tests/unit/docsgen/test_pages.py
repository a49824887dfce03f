"""The reference pages, rendered from rows: tables that render as tables, cells on one line."""

from __future__ import annotations

from docsgen.commands import Argument, Command, Group
from docsgen.contract_keys import ContractKey
from docsgen.pages import cell, cli_page, contract_page, fixtures_page, ini_page, options_page
from docsgen.tables import Fixture, Option


def option(**changes: object) -> Option:
    values: dict[str, object] = {
        "flag": "--tag",
        "value": "NAME",
        "env": "",
        "ini_key": "tag",
        "default": "",
        "help": "check the revision that carries this tag",
        "group": "",
        "extra": (),
    }
    return Option(**{**values, **changes})  # type: ignore[arg-type]


def test_a_cell_is_one_line_with_its_pipes_escaped_and_literals_as_code():
    assert cell("a | b\n  ``c``") == "a \\| b `c`"


def test_options_are_grouped_when_the_table_gives_groups():
    page = options_page(
        [option(group="candidate"), option(flag="--sandbox", value="", group="sandbox")]
    )
    assert "\n## candidate\n" in page and "\n## sandbox\n" in page
    assert (
        "\n### `--tag NAME`\n\ncheck the revision that carries this tag\n\n- pytest.ini: `tag`\n"
        in page
    )
    assert "\n### `--sandbox`\n" in page


def test_an_options_other_fields_follow_its_help():
    page = options_page([option(extra=(("deprecated_ini", "tag"),))])
    assert "\n## `--tag NAME`\n" in page
    assert "- pytest.ini: `tag`\n- deprecated_ini: tag\n" in page


def test_a_contract_section_has_its_description_and_required_keys_say_so():
    keys = [
        ContractKey("health", "mapping", required=True),
        ContractKey("health.path", "path", required=True),
        ContractKey("health.status", "integer", "200"),
    ]
    page = contract_page(keys, {"health": "What ``health`` answers."})
    assert "## `health` (required)\n\nWhat `health` answers.\n" in page
    assert "| `health.path` | path | *required* |" in page
    assert "| `health.status` | integer | `200` |" in page


def test_fixtures_are_grouped_by_their_modules_first_clause():
    page = fixtures_page(
        [Fixture("target", "session", "Where the gate points.", "The gate's fixtures. Thin.")],
        {"env_key": "env.yaml names no variables"},
    )
    assert (
        "## The gate's fixtures\n\n### `target` (session scope)\n\nWhere the gate points.\n" in page
    )
    assert "| `env_key` | env.yaml names no variables |" in page


def test_a_keys_note_follows_its_sections_table():
    keys = [
        ContractKey("cache", "mapping"),
        ContractKey("cache.counters", "list of mappings"),
        ContractKey("logs", "mapping"),
    ]
    page = contract_page(keys, {}, {"cache.counters": "without any, the budget alone"})
    assert (
        "| `cache.counters` | list of mappings |  |\n\n"
        "- `cache.counters`: without any, the budget alone\n\n## `logs`"
    ) in page


def test_a_subcommand_has_its_arguments_by_group_and_one_without_says_where_they_go():
    rescrape = Argument("--rescrape-after SECONDS", ("--rescrape-after",), "", "0: once")
    ci = Argument("--ci {github,none}", ("--ci",), "github", "the CI workflow")
    page = cli_page(
        [
            Command(
                "init",
                "write the gate",
                "Left as a <FILL IN: ...> placeholder.",
                (Group("options", (ci,)), Group("reading the live service", (rescrape,))),
            ),
            Command("verify", "run the gate as a verify job", "``verify``: the job.", ()),
        ]
    )
    assert "## `init`\n\nWrite the gate.\n\nLeft as a &lt;FILL IN: ...> placeholder.\n" in page
    assert (
        "### Options\n\n#### `--ci {github,none}`\n\nthe CI workflow\n\n- Default: `github`\n"
        in page
    )
    assert "### Reading the live service\n\n#### `--rescrape-after SECONDS`\n\n0: once\n" in page
    assert "`verify`: the job.\n\nEvery argument after `verify` goes to pytest" in page


def test_the_ini_page_sends_to_upgrade_for_pytest_ini_only():
    """upgrade edits pytest.ini's [pytest] section alone."""
    page = ini_page([option(ini_key="cloudrun_tag", old_ini_key="tag")])
    assert (
        "`cloudrun-acceptance upgrade` renames it in pytest.ini (in pyproject.toml, tox.ini or "
        "setup.cfg, rename it by hand).\n"
    ) in page
    assert (
        "| `cloudrun_tag` | `--tag` | check the revision that carries this tag | `tag` |\n" in page
    )
