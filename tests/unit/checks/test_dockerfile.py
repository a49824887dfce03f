"""The Dockerfile judgements on source trees built in the test: the command and the port."""

from __future__ import annotations

import pytest

from cloudrun_acceptance.checks.dockerfile import judge_dockerfile, judge_port
from cloudrun_acceptance.model.contract import PreflightRules
from tests.unit.builders import source_tree as tree

RULES = PreflightRules(command="uvicorn", app_dir="src", app="backend.main:app")


@pytest.mark.parametrize(
    ("cmd", "status", "summary"),
    [
        (
            'CMD ["sh", "-c", "uvicorn --app-dir src backend.main:app --port $PORT"]',
            "passed",
            "the container listens on $PORT ($PORT), as Cloud Run asks",
        ),
        (
            "CMD gunicorn -b 0.0.0.0:8080 backend.main:app",
            "passed",
            "the container listens on 8080, the PORT Cloud Run sets unless the deploy says otherwise",
        ),
        (
            "CMD uvicorn --app-dir src backend.main:app",
            "failed",
            "the command gives uvicorn no --port, so it listens on its default 8000; Cloud Run "
            "sends traffic to $PORT (8080 unless the deploy says otherwise)",
        ),
        (
            'CMD ["python", "-m", "uvicorn", "backend.main:app", "--port=${PORT}"]',
            "failed",
            "the command passes the port as the literal text '${PORT}': exec form (a JSON list) "
            "does not expand variables",
        ),
    ],
)
def test_ports(tmp_path, cmd, status, summary):
    verdict = judge_port(tree=tree(tmp_path, cmd), rules=RULES)
    assert (verdict.status, verdict.summary) == (status, summary)


def test_a_command_through_sh_c_is_judged_as_the_script(tmp_path):
    verdict = judge_dockerfile(
        tree=tree(tmp_path, 'CMD ["sh", "-c", "exec uvicorn --app-dir src backend.main:app"]'),
        rules=RULES,
    )
    assert verdict.status == "passed", verdict.message
    missing = judge_dockerfile(
        tree=tree(tmp_path / "other", "CMD uvicorn --app-dir lib backend.main:app --port 8080"),
        rules=RULES,
    )
    assert "--app-dir is lib, the contract says src" in missing.summary
