"""The gate's ini keys as a run reads them: a deprecated bare name warns with a fix that is
true for its file, a warning made an error is a usage error, ``-o`` names itself as the
source, and an empty flag is unset."""

from __future__ import annotations

import pytest

SERVICE_URL = "https://from-ini.example.com"
DEPRECATED = (
    "the ini key service_url in */pytest.ini is the deprecated name of cloudrun_service_url; "
    "rename it cloudrun_service_url (cloudrun-acceptance upgrade renames it): the bare names go "
    "in cloudrun-acceptance 0.3.0"
)


def add_ini(pytester: pytest.Pytester, *lines: str) -> None:
    ini = pytester.path / "pytest.ini"
    ini.write_text(ini.read_text() + "".join(f"{line}\n" for line in lines))


def collect(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest("--collect-only", "-p", "no:cacheprovider", *args)


@pytest.mark.parametrize(
    ("ini", "args"),
    [(["filterwarnings = error"], []), ([], ["-W", "error::DeprecationWarning"])],
    ids=["filterwarnings", "-W"],
)
def test_a_bare_name_under_warnings_as_errors_is_a_usage_error(gate_dir, ini, args):
    add_ini(gate_dir, *ini, f"service_url = {SERVICE_URL}")
    result = collect(gate_dir, *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stderr.str()
    result.stderr.fnmatch_lines([f"ERROR: {DEPRECATED}"])
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()


def test_a_bare_name_in_another_ini_file_is_renamed_by_hand(gate_dir):
    """upgrade edits pytest.ini only: for setup.cfg (and pyproject.toml, tox.ini) the warning
    does not send the operator to it."""
    ini = gate_dir.path / "pytest.ini"
    text = ini.read_text().replace("[pytest]", "[tool:pytest]")
    (gate_dir.path / "setup.cfg").write_text(f"{text}service_url = {SERVICE_URL}\n")
    ini.unlink()
    result = collect(gate_dir)
    assert result.ret == pytest.ExitCode.OK, result.stderr.str()
    result.stdout.fnmatch_lines(
        [
            f"cloudrun-acceptance *: {SERVICE_URL} (from service_url (in setup.cfg))",
            "*DeprecationWarning: the ini key service_url in */setup.cfg is the deprecated name of "
            "cloudrun_service_url; rename it cloudrun_service_url in setup.cfg by hand "
            "(cloudrun-acceptance upgrade edits pytest.ini only): the bare names go in "
            "cloudrun-acceptance 0.3.0",
        ]
    )
    assert "upgrade renames" not in result.stdout.str()


def test_a_bare_name_beside_its_new_name_is_ignored_and_says_delete_it(gate_dir):
    add_ini(
        gate_dir, "service_url = https://old.example.com", f"cloudrun_service_url = {SERVICE_URL}"
    )
    result = collect(gate_dir)
    assert result.ret == pytest.ExitCode.OK, result.stderr.str()
    result.stdout.fnmatch_lines(
        [
            f"cloudrun-acceptance *: {SERVICE_URL} (from cloudrun_service_url (in pytest.ini))",
            "*DeprecationWarning: the ini key service_url in */pytest.ini is the deprecated name of "
            "cloudrun_service_url, which is set there too, so it is ignored: delete it "
            "(cloudrun-acceptance upgrade comments it out): the bare names go in "
            "cloudrun-acceptance 0.3.0",
        ]
    )


def test_o_with_a_bare_name_wins_names_itself_and_warns_of_itself_only(gate_dir):
    add_ini(gate_dir, f"cloudrun_service_url = {SERVICE_URL}")
    result = collect(gate_dir, "-o", "service_url=https://from-o.example.com")
    assert result.ret == pytest.ExitCode.OK, result.stderr.str()
    result.stdout.fnmatch_lines(
        [
            "cloudrun-acceptance *: https://from-o.example.com (from -o service_url)",
            "*DeprecationWarning: -o service_url is the deprecated name of cloudrun_service_url; "
            "give -o cloudrun_service_url=...: the bare names go in cloudrun-acceptance 0.3.0",
        ]
    )
    assert "pytest.ini is the deprecated name" not in result.stdout.str()
    assert "is ignored" not in result.stdout.str()


@pytest.mark.parametrize("key", ["service_url", "cloudrun_service_url"])
def test_a_bad_value_given_with_o_names_o_as_its_source(gate_dir, key):
    add_ini(gate_dir, "cloudrun_service_url = notaurl")
    result = collect(gate_dir, "-o", f"{key}=httpx://y")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            f"ERROR: 'httpx://y' from -o {key} needs a scheme (https://) and a host; give a "
            "full URL, such as --service-url=https://my-service-abc-ew.a.run.app."
        ]
    )


@pytest.mark.parametrize("key", ["cloudrun_promote", "promote"])
def test_an_empty_flag_in_the_ini_file_is_unset(gate_dir, key):
    add_ini(gate_dir, f"cloudrun_service_url = {SERVICE_URL}", f"{key} =")
    result = collect(gate_dir)
    assert result.ret == pytest.ExitCode.OK, result.stderr.str()
    result.stdout.fnmatch_lines([f"cloudrun-acceptance *: {SERVICE_URL} (from *)"])


@pytest.mark.parametrize(
    ("ini", "args", "source", "fix"),
    [
        (["promote = maybe"], [], "promote in */pytest.ini", "cloudrun_promote = true, or false"),
        ([], ["-o", "promote=maybe"], "-o promote", "-o cloudrun_promote=true, or false"),
    ],
    ids=["ini", "-o"],
)
def test_a_bad_flag_names_its_source_and_the_new_key_in_the_fix(gate_dir, ini, args, source, fix):
    add_ini(gate_dir, *ini)
    result = collect(gate_dir, "--sandbox", *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [f"ERROR: {source} is not a flag value (invalid truth value 'maybe'); write {fix}"]
    )
