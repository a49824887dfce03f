"""The container's command from the Dockerfile's final stage: exec and shell form, ENTRYPOINT
with CMD, the last of each."""

from __future__ import annotations

from cloudrun_acceptance.preflight.dockerfile import read_dockerfile


def read(tmp_path, text):
    (tmp_path / "Dockerfile").write_text(text)
    return read_dockerfile(tmp_path)


def test_only_the_final_stage_counts_and_the_last_cmd_wins(tmp_path):
    dockerfile = read(
        tmp_path,
        'FROM python:3.11 AS build\nCMD ["build"]\nFROM python:3.11-slim\nCMD ["a"]\n'
        'CMD ["uvicorn", "app:app"]\n',
    )
    words, form, sources = dockerfile.command
    assert (words, form) == (("uvicorn", "app:app"), "exec")
    assert [(s.keyword, s.line) for s in sources] == [("CMD", 5)]


def test_shell_form_is_split_as_the_shell_would(tmp_path):
    dockerfile = read(tmp_path, "FROM x\nCMD exec uvicorn 'a b' --port ${PORT:-8080}\n")
    assert dockerfile.command[:2] == (
        ("exec", "uvicorn", "a b", "--port", "${PORT:-8080}"),
        "shell",
    )


def test_an_exec_entrypoint_takes_cmd_as_arguments_a_shell_one_ignores_it(tmp_path):
    both = read(tmp_path, 'FROM x\nENTRYPOINT ["python", "-m"]\nCMD ["uvicorn", "app:app"]\n')
    assert both.command[0] == ("python", "-m", "uvicorn", "app:app")
    shell = read(tmp_path, 'FROM x\nENTRYPOINT python -m uvicorn app:app\nCMD ["ignored"]\n')
    assert shell.command[0] == ("python", "-m", "uvicorn", "app:app")


def test_no_dockerfile_or_no_command(tmp_path):
    assert not read_dockerfile(tmp_path).found
    assert read(tmp_path, "FROM x\nRUN true\n").command == ((), "exec", ())
