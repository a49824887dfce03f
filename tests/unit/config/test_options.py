"""The option table: every option has help, and a flag named after its ini key."""

from __future__ import annotations

from cloudrun_acceptance.config.options import OPTIONS


def test_every_option_has_help_and_a_flag_named_after_its_ini_key():
    for spec in OPTIONS:
        assert spec.help
        assert spec.flag == "--" + spec.dest.replace("_", "-")
