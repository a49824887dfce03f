"""The words of a Dockerfile's shell-form command, as /bin/sh would split them."""

from __future__ import annotations

from cloudrun_acceptance.model.preflight import shell_words


def test_quotes_are_honoured_and_unpaired_quotes_fall_back_to_whitespace():
    assert shell_words("exec uvicorn 'app:app' --port \"${PORT:-8080}\"") == (
        "exec",
        "uvicorn",
        "app:app",
        "--port",
        "${PORT:-8080}",
    )
    assert shell_words("uvicorn 'app:app --port 8080") == ("uvicorn", "'app:app", "--port", "8080")
