"""The option table: every option has help, a flag named after it, a group and a prefixed ini
key."""

from __future__ import annotations

from cloudrun_acceptance.config.options import GROUPS, INI_PREFIX, OPTIONS, OPTIONS_BY_DEST


def test_every_option_has_help_and_a_flag_named_after_its_ini_key():
    for spec in OPTIONS:
        assert spec.help
        assert spec.flag == "--" + spec.dest.replace("_", "-")


def test_every_option_has_a_group_and_its_ini_key_carries_the_prefix():
    assert {spec.group for spec in OPTIONS} == set(GROUPS)
    for spec in OPTIONS:
        assert spec.ini_key.startswith(INI_PREFIX)
        assert spec.old_ini_key in {None, spec.dest}
    keys = {spec.dest: spec.ini_key for spec in OPTIONS}
    assert keys["project"] == "cloudrun_project" and keys["promote"] == "cloudrun_promote"
    # A flag is a bool in the ini file (pytest checks true/false); the rest is text.
    assert OPTIONS_BY_DEST["promote"].ini_type == "bool"
    assert OPTIONS_BY_DEST["project"].ini_type == "string"
    # Already prefixed: one name, nothing deprecated.
    assert keys["cloudrun_endpoint"] == "cloudrun_endpoint"
    assert OPTIONS_BY_DEST["cloudrun_endpoint"].old_ini_key is None
