"""The rows the reference pages are written from: read field by field from the gate's tables."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cloudrun_acceptance.config.options import OPTIONS
from cloudrun_acceptance.sandbox import FAULTS
from docsgen import tables
from tests.public_surface import fixture_names


@dataclass(frozen=True, kw_only=True)
class FutureSpec:
    """An option table row with fields this generator does not know by name."""

    dest: str = "project"
    flag: str = "--project"
    help: str = "the project, at 100%%"
    env: str | None = "PROJECT_ID"
    ini: bool = True
    ini_key: str | None = "cloudrun_project"
    group: str = "target"
    deprecated_ini: str = "project"
    kind: str = "text"
    metavar: str | None = None
    default: str | None = None
    choices: tuple[str, ...] = ()


def test_every_option_is_read_in_the_tables_order():
    assert [option.flag for option in tables.options()] == [spec.flag for spec in OPTIONS]


def test_an_ini_key_and_its_earlier_name_come_from_the_spec():
    by_flag = {option.flag: option for option in tables.options()}
    for spec in OPTIONS:
        assert by_flag[spec.flag].ini_key == (spec.ini_key if spec.ini else ""), spec.flag
        assert by_flag[spec.flag].old_ini_key == ((spec.ini and spec.old_ini_key) or ""), spec.flag


def test_new_fields_of_the_option_table_reach_the_page():
    # A group, an ini key of its own and an old name kept for a while: no change here needed.
    option = tables._option(FutureSpec())
    assert option.ini_key == "cloudrun_project"
    assert option.group == "target"
    assert option.extra == (("deprecated_ini", "project"),)
    assert option.help == "the project, at 100%"
    assert option.value == "PROJECT"


@pytest.mark.parametrize(
    ("changes", "takes"),
    [
        ({"kind": "flag"}, ""),
        ({"choices": ("fail", "skip")}, "{fail,skip}"),
        ({"kind": "multi", "metavar": "NAME"}, "NAME (repeatable)"),
    ],
)
def test_what_an_option_takes(changes, takes):
    from dataclasses import replace

    assert tables._option(replace(FutureSpec(), **changes)).value == takes


def test_the_public_fixtures_are_the_recorded_surfaces():
    assert sorted(fixture.name for fixture in tables.fixtures()) == fixture_names()
    assert all(fixture.doc for fixture in tables.fixtures())


def test_every_variable_of_an_option_and_of_a_cloud_deploy_job_is_listed():
    names = [variable.name for variable in tables.variables()]
    assert {spec.env for spec in OPTIONS if spec.env} <= set(names)
    assert {"SERVICE_TOKEN", "CLOUD_RUN_PROJECT", "SSL_CERT_FILE"} <= set(names)
    assert len(names) == len(set(names))


def test_every_fault_and_every_exit_code_has_a_row():
    assert [fault.name for fault in tables.faults()] == list(FAULTS)
    codes = tables.exit_codes()
    assert [code.code for code in codes] == [int(code) for code in pytest.ExitCode]
    assert all(code.meaning != "pytest's own" for code in codes)
