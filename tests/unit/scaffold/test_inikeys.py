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
    renamed, done = rename_ini_keys(text)
    assert renamed == text.replace("project = my", "cloudrun_project = my").replace(
        "promote:", "cloudrun_promote:"
    )
    assert done == ["project -> cloudrun_project", "promote -> cloudrun_promote"]
    assert rename_ini_keys(renamed) == (renamed, [])


def test_every_ini_option_with_a_bare_name_has_a_rename():
    bare = {spec.dest for spec in OPTIONS if spec.ini and spec.dest != spec.ini_key}
    assert set(RENAMES) == bare
    assert RENAMES["service_url"] == "cloudrun_service_url"
    assert "cloudrun_endpoint" not in RENAMES
