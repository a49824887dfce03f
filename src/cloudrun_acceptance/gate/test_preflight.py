"""Is the source ready to deploy? (`cat env.yaml`, `grep CMD Dockerfile`, `.gcloudignore`, ...)

Run with --preflight=PATH, before the 15-minute build: alone, or first in a run of the gate.
"""

from __future__ import annotations

import pytest

from cloudrun_acceptance.judges import (
    judge_dockerfile,
    judge_env_file,
    judge_port,
    judge_requirement,
    judge_upload,
)

pytestmark = pytest.mark.gate_stage(5)


def test_dockerfile_runs_the_app(gate, source_tree, preflight_rules):
    gate.expect(judge_dockerfile(tree=source_tree, rules=preflight_rules))


def test_container_listens_on_port(gate, source_tree, preflight_rules):
    gate.expect(judge_port(tree=source_tree, rules=preflight_rules))


def test_upload_set_holds_what_the_image_needs(gate, source_tree, preflight_rules):
    gate.expect(judge_upload(tree=source_tree, rules=preflight_rules))


def test_requirement_is_listed(gate, source_tree, requirement):
    gate.expect(judge_requirement(tree=source_tree, wanted=requirement))


def test_env_file_is_ready_for_deploy(gate, source_tree, contract, gate_env, gate_env_problem):
    gate.expect(
        judge_env_file(
            tree=source_tree,
            metrics=contract.metrics,
            gate_env=gate_env,
            gate_env_problem=gate_env_problem,
        )
    )
