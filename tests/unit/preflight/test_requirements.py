"""Requirements parsed as pip reads them: names normalised, extras, markers, specifiers."""

from __future__ import annotations

from cloudrun_acceptance.preflight.requirements import read_requirements


def test_requirements_txt_lines_are_parsed_with_their_line(tmp_path):
    (tmp_path / "requirements.txt").write_text(
        "# deps\n-r base.txt\nPrometheus_Client[twisted]>=0.20 ; python_version>='3.9'  # metrics\n"
        "not a requirement !!\nhttps://example.com/x.whl\n"
    )
    found = read_requirements(tmp_path)
    assert [(e.name, e.specifier, e.line) for e in found.entries] == [
        ("prometheus-client", ">=0.20", 3)
    ]
    assert found.unparsable == ((4, "not a requirement !!"),)


def test_pyproject_dependencies_when_there_is_no_requirements_txt(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "s"\ndependencies = [\n  "prometheus.client==0.21.1",\n]\n'
    )
    found = read_requirements(tmp_path)
    assert found.file == "pyproject.toml"
    assert [(e.name, e.specifier, e.line) for e in found.entries] == [
        ("prometheus-client", "==0.21.1", 4)
    ]
    assert not read_requirements(tmp_path / "missing").found
