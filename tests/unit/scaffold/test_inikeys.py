"""upgrade renames the gate's bare ini keys of the [pytest] section, and nothing else."""

from __future__ import annotations

from cloudrun_acceptance.config.options import OPTIONS
from cloudrun_acceptance.scaffold.inikeys import RENAMES, rename_ini_keys


def test_bare_keys_of_the_pytest_section_are_renamed_and_the_rest_kept():
    text = (
        "[pytest]\n"
        "testpaths = tests/acceptance\n"
        "project = my-project\n"
        "promote: true\n"
        "# service_url = https://x.example.com\n"
        "addopts = -ra\n"
        "  project = a continuation line\n"
        "cloudrun_endpoint = http://127.0.0.1:9\n"
        "\n[other]\n"
        "region = europe-west1\n"
    )
    renamed, done, commented = rename_ini_keys(text)
    assert renamed == text.replace("project = my", "cloudrun_project = my").replace(
        "promote:", "cloudrun_promote:"
    )
    assert (done, commented) == (["project -> cloudrun_project", "promote -> cloudrun_promote"], [])
    assert rename_ini_keys(renamed) == (renamed, [], [])


def test_a_bare_key_beside_its_new_name_is_commented_out_with_its_continuation():
    """Renamed, the key would be written twice, which pytest refuses; the prefixed key's value
    is the one the plugin reads, so it is kept."""
    text = (
        "[pytest]\n"
        "project = old-proj\n"
        "  continued\n"
        "cloudrun_project = new-proj\n"
        "region = europe-west1\n"
        "\n[other]\n"
        "cloudrun_region = elsewhere\n"
    )
    fixed, done, commented = rename_ini_keys(text)
    assert fixed == (
        "[pytest]\n"
        "# project = old-proj\n"
        "#   continued\n"
        "cloudrun_project = new-proj\n"
        "cloudrun_region = europe-west1\n"
        "\n[other]\n"
        "cloudrun_region = elsewhere\n"
    )
    assert (done, commented) == (["region -> cloudrun_region"], ["project"])
    assert rename_ini_keys(fixed) == (fixed, [], [])


def test_every_ini_option_with_a_bare_name_has_a_rename():
    bare = {spec.dest for spec in OPTIONS if spec.ini and spec.dest != spec.ini_key}
    assert set(RENAMES) == bare
    assert RENAMES["service_url"] == "cloudrun_service_url"
    assert "cloudrun_endpoint" not in RENAMES
